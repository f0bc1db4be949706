/** Which backend a store URL names; shared by `openStore` and `openRecordStore`. */
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UnsupportedStoreError } from './errors';

/** A store URL with its backend: `file:///path` (or a bare absolute path) or `s3://bucket/prefix`. */
export interface StoreLocation {
  kind: 'file' | 's3';
  url: string;
}

/**
 * The backend of `url`; throws `UnsupportedStoreError` for any other scheme.
 *
 * @example
 * ```ts
 * storeLocation('/tmp/kiln') // { kind: 'file', url: 'file:///tmp/kiln' }
 * ```
 */
export function storeLocation(url: string): StoreLocation {
  if (url.startsWith('file:')) return { kind: 'file', url };
  if (isAbsolute(url)) return { kind: 'file', url: pathToFileURL(url).href };
  if (url.startsWith('s3:')) return { kind: 's3', url };
  throw new UnsupportedStoreError(url, 'expected file:///path or s3://bucket/prefix');
}
