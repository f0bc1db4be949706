/**
 * `@kiln/artifacts/light`: the store's errors, keys and JSON records without the `minio` client,
 * for a program whose start is on every step's path (the in-pod launcher). {@link openRecordStore}
 * reads and writes records of `file://` and `s3://` stores with the settings `openStore` uses.
 *
 * @example
 * ```ts
 * import { openRecordStore, ArtifactNotFoundError } from '@kiln/artifacts/light';
 * const records = openRecordStore(process.env.KILN_ARTIFACTS ?? 'file:///tmp/kiln');
 * ```
 */
export { openRecordStore, type RecordStore } from './record-store';
export { S3RecordStore } from './s3/record-client';
export { FileArtifactStore } from './file-store';
export { storeLocation, type StoreLocation } from './store-url';
export { parseRecord } from './parse-record';
export { validateKey, joinKey, RESERVED_SEGMENT } from './keys';
export {
  ArtifactError,
  ArtifactNotFoundError,
  ArtifactExistsError,
  InvalidKeyError,
  UnsupportedStoreError,
  ArtifactIoError,
  StoreConfigError,
  BucketNotFoundError,
  StoreAccessDeniedError,
  StoreRecordError,
  type ArtifactErrorCode,
  type RecordIssue,
} from './errors';
