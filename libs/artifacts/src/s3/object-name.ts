/** How a store key becomes an S3 object name; shared by the full store and the record client. */
import { InvalidKeyError } from '../errors';
import { validateKey } from '../keys';

/** S3 object names are at most 1024 bytes of UTF-8. */
const MAX_NAME_BYTES = 1024;

/**
 * The object name of `key` under `base` (`prefix/` or `''`), checked like every key.
 *
 * @example
 * ```ts
 * s3ObjectName('kiln/', 'runs/r1/status.json') // 'kiln/runs/r1/status.json'
 * ```
 */
export function s3ObjectName(base: string, key: string): string {
  const name = base + validateKey(key);
  if (Buffer.byteLength(name) > MAX_NAME_BYTES) {
    throw new InvalidKeyError(key, `is too long: S3 object names are at most ${MAX_NAME_BYTES} bytes with the prefix`);
  }
  return name;
}
