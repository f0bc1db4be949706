/**
 * The artifact store: where step inputs and outputs, logs, run records and
 * cache entries live. Kiln needs no database besides Temporal and this store.
 *
 * Backends are chosen by URL: `file:///path` (the default, a folder under the
 * user's data directory) and, later, `s3://bucket/prefix`. Every artifact gets
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
 * ```
 *
 * @packageDocumentation
 */
export type { ArtifactStore, ArtifactStat, ArtifactKind, PutOptions, Body, Metadata, MetadataValue } from './store';
export { FileArtifactStore } from './file-store';
export { openStore, defaultStoreUrl, locate } from './open-store';
export { validateKey, joinKey, RESERVED_SEGMENT } from './keys';
export { digestBytes, digestFile, digestDirectory, listFiles, type Digest } from './digest';
export {
  ArtifactError,
  ArtifactNotFoundError,
  ArtifactExistsError,
  InvalidKeyError,
  UnsupportedStoreError,
  ArtifactIoError,
  type ArtifactErrorCode,
} from './errors';
