/**
 * The type of a value flowing along a binding, and when it fits an input.
 * Rules: parameter types must match, except an int fits a float; an artifact
 * type must match unless the input takes the generic `artifact`; lists of
 * artifacts (fan-in) only go to `list: true` inputs; parameters and artifacts
 * never mix.
 */
import type { ArtifactType, IoSpec, ItemTypeSpec, JsonValue, ParamType } from './schema';

/** `any` is a parameter whose type is only known at run time (a loop item, `null`). */
export type ValueType =
  | { kind: 'param'; type: ParamType | 'any'; items?: ItemTypeSpec }
  | { kind: 'artifact'; type: ArtifactType; list: boolean };

export function ioValueType(spec: IoSpec): ValueType {
  return spec.kind === 'param'
    ? { kind: 'param', type: spec.type, ...(spec.items && { items: spec.items }) }
    : { kind: 'artifact', type: spec.type, list: spec.list ?? false };
}

/** The parameter type a JSON constant has: 3 is an int, 3.5 a float, `null` any. */
export function constantType(value: JsonValue): ValueType {
  if (value === null) return { kind: 'param', type: 'any' };
  if (Array.isArray(value)) return { kind: 'param', type: 'list' };
  switch (typeof value) {
    case 'string':
      return { kind: 'param', type: 'string' };
    case 'boolean':
      return { kind: 'param', type: 'bool' };
    case 'number':
      return { kind: 'param', type: Number.isInteger(value) ? 'int' : 'float' };
    default:
      return { kind: 'param', type: 'object' };
  }
}

/** Whether a value of type `actual` may be bound where `expected` is wanted (see {@link ioValueType}). */
export function isAssignable(actual: ValueType, expected: ValueType): boolean {
  if (actual.kind === 'param') {
    if (expected.kind !== 'param') return false;
    return (
      actual.type === 'any' ||
      expected.type === 'any' ||
      actual.type === expected.type ||
      (actual.type === 'int' && expected.type === 'float')
    );
  }
  if (expected.kind !== 'artifact') return false;
  return actual.list === expected.list && (expected.type === 'artifact' || expected.type === actual.type);
}

/** `int parameter`, `model artifact`, `list of dataset artifacts`: for messages. */
export function describeType(t: ValueType): string {
  if (t.kind === 'param') return t.type === 'any' ? 'any parameter' : `${t.type} parameter`;
  return t.list ? `list of ${t.type} artifacts` : `${t.type} artifact`;
}

/** Structural equality of types (for `oneOf` sources). */
export function sameType(a: ValueType, b: ValueType): boolean {
  if (a.kind === 'param' && b.kind === 'param') return a.type === b.type || a.type === 'any' || b.type === 'any';
  return a.kind === 'artifact' && b.kind === 'artifact' && a.type === b.type && a.list === b.list;
}
