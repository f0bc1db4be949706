/**
 * The store's small JSON records without the rest of the store: what a program whose start is on
 * every step's path (the in-pod launcher) needs to read a request and write a record. `file://`
 * stores are the full {@link FileArtifactStore} (it loads nothing heavy); `s3://` stores are the
 * {@link S3RecordStore}, which signs its few requests itself instead of loading the `minio` client.
 */
import type { z } from 'zod';
import { FileArtifactStore } from './file-store';
import { S3RecordStore } from './s3/record-client';
import type { S3StoreOptions } from './s3/config';
import { storeLocation } from './store-url';

/** Reading and writing JSON records; every `ArtifactStore` is one too. */
export interface RecordStore {
  /** The store's URL, normalised (what `openStore` of the same URL reports). */
  readonly url: string;
  /** The URI of `key` in this store. */
  uriFor(key: string): string;
  /** The text of the object at `key`; `ArtifactNotFoundError` naming the key when there is none. */
  readText(key: string): Promise<string>;
  /** The JSON record at `key`, parsed with `schema` (`StoreRecordError` naming every problem). */
  readJson<S extends z.ZodType>(key: string, schema: S): Promise<z.output<S>>;
  /** Writes `value` as JSON; with `ifAbsent`, throws `ArtifactExistsError` when the key is taken. */
  writeJson(key: string, value: unknown, options?: { ifAbsent?: boolean }): Promise<unknown>;
}

/**
 * Opens the records of the store a URL names, with the same settings `openStore` would use.
 *
 * @example
 * ```ts
 * const records = openRecordStore('s3://kiln/dev'); // KILN_S3_ENDPOINT, KILN_S3_ACCESS_KEY... from the environment
 * await records.writeJson('executions/e1/launcher-failure.json', failure);
 * ```
 */
export function openRecordStore(
  url: string,
  options: { s3?: S3StoreOptions; env?: NodeJS.ProcessEnv } = {},
): RecordStore {
  const location = storeLocation(url);
  return location.kind === 'file'
    ? new FileArtifactStore(location.url)
    : new S3RecordStore(location.url, options.s3, options.env);
}
