/**
 * Run parameters checked against the IR before a run starts straight on
 * Temporal, so a typo is an error naming the parameter, not a failed run. The
 * API does the same check (and answers the same 422); the workflow checks again.
 */
import type { JsonValue, ParamSpec, ParamType } from '@kiln/ir';
import { isDeepStrictEqual } from 'node:util';
import { KilnApiError } from './errors';

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

/** @throws KilnApiError 422 `invalid-params`, `details` listing `{ param, message }` for each problem. */
export function checkRunParams(pipeline: string, declared: Record<string, ParamSpec>, given: Record<string, JsonValue>): void {
  const problems: { param: string; message: string }[] = [];
  const names = Object.keys(declared);
  for (const name of Object.keys(given)) {
    if (!Object.hasOwn(declared, name)) problems.push({ param: name, message: `unknown parameter (declared: ${names.join(', ') || 'none'})` });
  }
  for (const [name, spec] of Object.entries(declared)) {
    const value = Object.hasOwn(given, name) ? given[name] : spec.default;
    if (value === undefined) {
      if (!spec.optional) problems.push({ param: name, message: `required (${spec.type}) and has no default` });
    } else if (!matches(spec.type, value)) {
      problems.push({ param: name, message: `must be ${spec.type}, got ${JSON.stringify(value)}` });
    } else if (spec.enum && !spec.enum.some((allowed) => isDeepStrictEqual(allowed, value))) {
      problems.push({ param: name, message: `must be one of ${spec.enum.map((v) => JSON.stringify(v)).join(', ')}, got ${JSON.stringify(value)}` });
    }
  }
  if (problems.length > 0) {
    throw new KilnApiError(422, 'invalid-params', `invalid parameters for pipeline ${pipeline}: ${problems.map((p) => `${p.param}: ${p.message}`).join('; ')}`, {
      details: problems,
    });
  }
}
