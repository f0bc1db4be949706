/**
 * The artifact store: where step inputs and outputs, logs, run records and
 * cache entries live. Kiln needs no database besides Temporal and this store.
 *
 * Backends are chosen by URL: `file:///path` (the default, a folder under the
 * user's data directory) and `s3://bucket/prefix` (AWS S3, MinIO or any
 * S3-compatible store; endpoint, credentials, region and TLS from options or
 * `KILN_S3_*` / `AWS_*` environment variables). Both stream with bounded memory
 * and behave the same to their callers. Every artifact gets
 * a sha256 content digest; a directory is an artifact too (its digest covers
 * its sorted listing of relative paths and file digests). Errors are typed and
 * say whether a retry can help.
 *
 * @example
 * ```ts
 * import { openStore, defaultStoreUrl, ArtifactExistsError } from '@kiln/artifacts';
 *
 * const store = openStore(defaultStoreUrl());
 * const stat = await store.putPath('runs/demo/model', '/tmp/model-dir');
 * console.log(stat.uri, stat.digest);
 * try {
 *   await store.writeJson('cache/abc.json', { result: 1 }, { ifAbsent: true });
 * } catch (error) {
 *   if (!(error instanceof ArtifactExistsError)) throw error; // someone else won the race
 * }
 * // Records are read back through their zod schema; a malformed one is a StoreRecordError naming the key.
 * const entry = await store.readJson('cache/abc.json', z.object({ result: z.number() }));
 *
 * // MinIO; settings may also come from KILN_S3_ENDPOINT, KILN_S3_ACCESS_KEY, KILN_S3_SECRET_KEY...
 * const s3 = openStore('s3://kiln/artifacts', {
 *   s3: { endpoint: 'http://127.0.0.1:9000', accessKey: 'minio', secretKey: 'minio123' },
 * });
 * await s3.getToPath('runs/demo/model', '/tmp/model-copy');
 * ```
 *
 * @packageDocumentation
 */
export type { ArtifactStore, ArtifactStat, ArtifactKind, PutOptions, Body, Metadata, MetadataValue } from './store';
export { FileArtifactStore } from './file-store';
export {
  S3ArtifactStore,
  resolveS3Config,
  parseS3Url,
  DEFAULT_RETRY,
  type S3StoreOptions,
  type S3Config,
  type RetryPolicy,
} from './s3';
export { openStore, defaultStoreUrl, locate, type OpenStoreOptions } from './open-store';
export { openRecordStore, type RecordStore } from './record-store';
export { S3RecordStore } from './s3/record-client';
export { storeLocation, type StoreLocation } from './store-url';
export { parseRecord } from './parse-record';
export { validateKey, joinKey, RESERVED_SEGMENT } from './keys';
export {
  digestBytes,
  digestFile,
  digestDirectory,
  digestListing,
  listFiles,
  type Digest,
  type ListingEntry,
} from './digest';
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
