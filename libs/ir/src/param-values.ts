/**
 * Run parameters checked against a pipeline's declarations: the one check the
 * API, the client and the interpreter share, so a typo gets the same answer
 * wherever it is caught. Pure and workflow-safe (no Node built-ins).
 */
import type { JsonValue, ParamSpec, ParamType } from './schema';

// The depth check is pure too: the interpreter runs it before it reads any parameter.
export { DEFAULT_INPUT_LIMITS, valueDepthProblem, type InputLimitProblem, type InputLimits } from './input-limits';

/** One bad run parameter: which one, and what is wrong with it. */
export interface ParamProblem {
  param: string;
  message: string;
}

export interface ParamValuesCheck {
  /** Declared parameters with defaults applied; optional ones without a value, and bad ones, are absent. */
  values: Record<string, JsonValue>;
  /** Every problem, unknown names first, then declared parameters in declaration order. */
  problems: ParamProblem[];
}

/**
 * Whether `value` is a valid `type`. Ints must be whole; floats accept ints.
 *
 * @example
 * ```ts
 * matchesParamType('float', 3); // true
 * matchesParamType('int', 3.5); // false
 * ```
 */
export function matchesParamType(type: ParamType, value: JsonValue): boolean {
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
 * Structural equality of JSON values (object key order ignored).
 *
 * @example
 * ```ts
 * sameJson({ a: 1, b: [2] }, { b: [2], a: 1 }); // true
 * ```
 */
export function sameJson(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined || typeof a !== 'object' || typeof b !== 'object')
    return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => sameJson(item, b[i]));
  }
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && sameJson(a[key], b[key]))
  );
}

/**
 * Checks `given` against `declared`: unknown names, missing required values,
 * wrong types and values outside an enum. A parameter given as `null` is a
 * value (and must match its type); only an absent one takes its default.
 *
 * @example
 * ```ts
 * checkParamValues({ n: { kind: 'param', type: 'int', default: 3 } }, {});
 * // { values: { n: 3 }, problems: [] }
 * checkParamValues({ n: { kind: 'param', type: 'int' } }, { n: 'x', m: 1 }).problems;
 * // [{ param: 'm', message: 'unknown parameter (declared: n)' }, { param: 'n', message: 'must be int, got "x"' }]
 * ```
 */
export function checkParamValues(
  declared: Record<string, ParamSpec>,
  given: Record<string, JsonValue>,
): ParamValuesCheck {
  const values: Record<string, JsonValue> = {};
  const problems: ParamProblem[] = [];
  const names = Object.keys(declared);
  for (const name of Object.keys(given)) {
    if (!Object.hasOwn(declared, name))
      problems.push({ param: name, message: `unknown parameter (declared: ${names.join(', ') || 'none'})` });
  }
  for (const [name, spec] of Object.entries(declared)) {
    const value = Object.hasOwn(given, name) ? given[name] : spec.default;
    if (value === undefined) {
      if (!spec.optional) problems.push({ param: name, message: `required (${spec.type}) and has no default` });
    } else if (!matchesParamType(spec.type, value)) {
      problems.push({ param: name, message: `must be ${spec.type}, got ${JSON.stringify(value)}` });
    } else if (spec.enum && !spec.enum.some((allowed) => sameJson(allowed, value))) {
      problems.push({
        param: name,
        message: `must be one of ${spec.enum.map((v) => JSON.stringify(v)).join(', ')}, got ${JSON.stringify(value)}`,
      });
    } else {
      values[name] = value;
    }
  }
  return { values, problems };
}

/**
 * The problems as one sentence, for error messages.
 *
 * @example
 * ```ts
 * describeParamProblems('training', problems); // 'invalid parameters for pipeline training: n: must be int, got "x"'
 * ```
 */
export function describeParamProblems(pipeline: string, problems: readonly ParamProblem[]): string {
  return `invalid parameters for pipeline ${pipeline}: ${problems.map((p) => `${p.param}: ${p.message}`).join('; ')}`;
}
