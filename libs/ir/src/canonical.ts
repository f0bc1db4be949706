/**
 * The canonical form: the one byte sequence a spec serializes to. Digests,
 * golden files and caching fingerprints all hash it, so it must not depend on
 * the order keys were inserted in, on `undefined` fields, or on the platform.
 */
import { stringify as stringifyYaml } from 'yaml';
import { compareCodePoints } from './code-points';
import type { PipelineSpec } from './schema';

export { compareCodePoints } from './code-points';

function orderedKeys(value: object, topLevel: boolean): string[] {
  const keys = Object.keys(value)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort(compareCodePoints);
  if (topLevel && keys.includes('schemaVersion')) {
    return ['schemaVersion', ...keys.filter((k) => k !== 'schemaVersion')];
  }
  return keys;
}

/**
 * A deep copy of a JSON-like value with keys in canonical order (`schemaVersion`
 * first at the top, then code-point order) and `undefined` fields dropped.
 */
export function canonicalCopy<T>(value: T): T {
  return copy(value, true) as T;
}

function copy(value: unknown, topLevel: boolean): unknown {
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : copy(item, false)));
  if (value !== null && typeof value === 'object') {
    // fromEntries defines own properties, so even a "__proto__" key survives.
    return Object.fromEntries(
      orderedKeys(value, topLevel).map((k) => [k, copy((value as Record<string, unknown>)[k], false)]),
    );
  }
  return value;
}

/**
 * Serializes a spec to canonical JSON: `schemaVersion` first, every object's
 * keys in code-point order, arrays in order, 2-space indentation, a trailing
 * newline. Equal specs give byte-identical text.
 *
 * @example
 * ```ts
 * canonicalize({ root: { tasks: {} }, schemaVersion: '1.0', ... }) // '{\n  "schemaVersion": "1.0",\n ...'
 * ```
 */
export function canonicalize(spec: PipelineSpec): string {
  return canonicalJson(spec);
}

/** {@link canonicalize} for any JSON-like value (components, bindings...). */
export function canonicalJson(value: unknown): string {
  return `${JSON.stringify(canonicalCopy(value), null, 2)}\n`;
}

/** The spec as YAML, keys in the same canonical order, no line folding. */
export function toYaml(spec: PipelineSpec): string {
  return stringifyYaml(canonicalCopy(spec), {
    lineWidth: 0,
    // Never emit anchors/aliases for repeated sub-objects: the text stays a plain tree.
    aliasDuplicateObjects: false,
  });
}
