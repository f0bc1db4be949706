/**
 * Keys are `/`-separated relative paths. Both backends map them straight onto a
 * path (a file under the root, an object name under the prefix), so anything
 * that could escape the root or mean two things is refused up front.
 */
import { InvalidKeyError } from './errors';

/** The first segment reserved for the store's own bookkeeping (metadata sidecars, temp files). */
export const RESERVED_SEGMENT = '.kiln';

/**
 * Throws {@link InvalidKeyError} naming the key unless it is a safe relative key.
 *
 * @example
 * ```ts
 * validateKey('runs/training/abc/record.json'); // ok
 * validateKey('../etc/passwd');                 // throws InvalidKeyError: segment ".." is not allowed
 * ```
 */
export function validateKey(key: string): string {
  if (key.length === 0) throw new InvalidKeyError(key, 'the key is empty');
  if (key.includes('\0')) throw new InvalidKeyError(key, 'contains a NUL character');
  if (key.includes('\\')) throw new InvalidKeyError(key, 'contains a backslash; use "/" between segments');
  if (key.startsWith('/')) throw new InvalidKeyError(key, 'is absolute; keys are relative to the store');
  const segments = key.split('/');
  for (const segment of segments) {
    if (segment === '') throw new InvalidKeyError(key, 'has an empty segment (a leading, trailing or double "/")');
    if (segment === '.' || segment === '..') throw new InvalidKeyError(key, `segment "${segment}" is not allowed`);
  }
  if (segments[0] === RESERVED_SEGMENT) {
    throw new InvalidKeyError(key, `the first segment "${RESERVED_SEGMENT}" is reserved for the store`);
  }
  return key;
}

/**
 * Joins key segments with `/` and validates the result.
 *
 * @example
 * ```ts
 * joinKey('runs', 'training', 'record.json') // 'runs/training/record.json'
 * ```
 */
export function joinKey(...parts: string[]): string {
  return validateKey(parts.filter((p) => p.length > 0).join('/'));
}
