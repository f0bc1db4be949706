/**
 * Run parameters checked against the pipeline's declarations before a run is
 * started, so a typo is a 422 naming the parameter rather than a failed run.
 * Mirrors the interpreter's own check (it runs again in the workflow).
 */
import type { JsonValue, ParamSpec, ParamType } from '@kiln/ir';
import { isDeepStrictEqual } from 'node:util';
import { ApiError } from '../errors';

export interface ParamProblem {
  param: string;
  message: string;
}

function matches(type: ParamType, value: JsonValue): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'int':
      return typeof value === 'number' && Number.isInteger(value);
    case 'float':
      return typeof value === 'number' && Number.isFinite(value);
    case 'bool':
      return typeof value === 'boolean';
    case 'list':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
  }
}

/**
 * Every problem with `given`: unknown names, missing required values, wrong types, values outside an enum.
 *
 * @example
 * ```ts
 * checkParams({ n: { kind: 'param', type: 'int' } }, { n: 'x' });
 * // [{ param: 'n', message: 'must be int, got "x"' }]
 * ```
 */
export function checkParams(declared: Record<string, ParamSpec>, given: Record<string, JsonValue>): ParamProblem[] {
  const problems: ParamProblem[] = [];
  const names = Object.keys(declared);
  for (const name of Object.keys(given)) {
    if (!Object.hasOwn(declared, name)) problems.push({ param: name, message: `unknown parameter (declared: ${names.join(', ') || 'none'})` });
  }
  for (const [name, spec] of Object.entries(declared)) {
    const value = Object.hasOwn(given, name) ? given[name] : spec.default;
    if (value === undefined) {
      if (!spec.optional) problems.push({ param: name, message: `required (${spec.type}) and has no default` });
      continue;
    }
    if (!matches(spec.type, value)) {
      problems.push({ param: name, message: `must be ${spec.type}, got ${JSON.stringify(value)}` });
    } else if (spec.enum && !spec.enum.some((allowed) => isDeepStrictEqual(allowed, value))) {
      problems.push({ param: name, message: `must be one of ${spec.enum.map((v) => JSON.stringify(v)).join(', ')}, got ${JSON.stringify(value)}` });
    }
  }
  return problems;
}

/** A 422 naming every bad parameter. */
export function invalidParams(pipeline: string, problems: ParamProblem[]): ApiError {
  return new ApiError(
    422,
    'invalid-params',
    `invalid parameters for pipeline ${pipeline}: ${problems.map((p) => `${p.param}: ${p.message}`).join('; ')}`,
    problems,
  );
}
