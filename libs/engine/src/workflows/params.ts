/**
 * Checks run parameters against the pipeline's declarations before anything runs,
 * so a typo fails the run at once instead of deep inside a step.
 */
import type { JsonValue, ParamSpec, ParamType } from '@kiln/ir';

export interface ParamCheck {
  /** Declared params with defaults applied; optional params without a value are absent. */
  values: Record<string, JsonValue>;
  errors: string[];
}

/** Whether `value` is a valid `type`. Ints must be whole; floats accept ints. */
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
 * @example
 * ```ts
 * checkParams({ n: { kind: 'param', type: 'int', default: 3 } }, {}); // { values: { n: 3 }, errors: [] }
 * ```
 */
export function checkParams(declared: Record<string, ParamSpec>, given: Record<string, JsonValue>): ParamCheck {
  const values: Record<string, JsonValue> = {};
  const errors: string[] = [];
  for (const name of Object.keys(given)) {
    if (!(name in declared)) errors.push(`unknown parameter "${name}" (declared: ${Object.keys(declared).join(', ') || 'none'})`);
  }
  for (const [name, spec] of Object.entries(declared)) {
    const value = given[name] ?? spec.default;
    if (value === undefined) {
      if (!spec.optional) errors.push(`missing required parameter "${name}" (${spec.type})`);
      continue;
    }
    if (!matchesParamType(spec.type, value)) {
      errors.push(`parameter "${name}" must be ${spec.type}, got ${JSON.stringify(value)}`);
      continue;
    }
    if (spec.enum && !spec.enum.some((allowed) => sameJson(allowed, value))) {
      errors.push(`parameter "${name}" must be one of ${spec.enum.map((v) => JSON.stringify(v)).join(', ')}, got ${JSON.stringify(value)}`);
      continue;
    }
    values[name] = value;
  }
  return { values, errors };
}

/** Structural equality of JSON values (key order ignored). */
export function sameJson(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => sameJson(item, b[i]));
  }
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => key in b && sameJson(a[key], b[key]));
}
