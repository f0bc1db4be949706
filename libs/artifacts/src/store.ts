/**
 * The store's public face. Backends (a local folder, S3/MinIO) implement this
 * interface; everything above them (launcher, activities, API) speaks keys and
 * URIs only.
 */
import type { Readable } from 'node:stream';
import type { z } from 'zod';
import type { Digest } from './digest';

/** A JSON value, as stored in artifact metadata. */
export type MetadataValue = string | number | boolean | null | MetadataValue[] | { [key: string]: MetadataValue };
export type Metadata = Record<string, MetadataValue>;

/** What a key holds: one object, or a directory artifact (every object under `key/`). */
export type ArtifactKind = 'file' | 'directory';

/** What the store knows about one artifact. */
export interface ArtifactStat {
  key: string;
  uri: string;
  kind: ArtifactKind;
  /** Bytes (for a directory: the sum over its files). */
  size: number;
  /** Content digest; see `digestDirectory` for directories. */
  digest: Digest;
  /** Metadata given when the artifact was written (empty if it was placed there by other means). */
  metadata: Metadata;
  /** When the artifact was written, ISO 8601. */
  createdAt: string;
}

export interface PutOptions {
  /** Stored alongside the content and returned by `stat`. */
  metadata?: Metadata;
  /**
   * Atomic create: fail with `ArtifactExistsError` if the key is taken, and
   * never leave a half-written artifact visible. Two racing writers: exactly one wins.
   */
  ifAbsent?: boolean;
}

/** The bytes to store: a stream (read once, never buffered whole), a Buffer or a string (UTF-8). */
export type Body = Readable | Uint8Array | string;

/**
 * An artifact store. Keys are relative `/`-separated paths (see `validateKey`);
 * URIs are what the rest of Kiln passes around (`file:///...`, `s3://...`).
 *
 * @example
 * ```ts
 * const store = openStore('file:///tmp/kiln/artifacts');
 * await store.put('datasets/iris.csv', 'a,b\n1,2\n', { metadata: { rows: 1 } });
 * const { digest, uri } = await store.stat('datasets/iris.csv');
 * await store.writeJson('runs/x/record.json', { ok: true }, { ifAbsent: true });
 * const record = await store.readJson('runs/x/record.json', z.object({ ok: z.boolean() })); // { ok: true }
 * ```
 */
export interface ArtifactStore {
  /** The URL this store was opened with; `openStore(store.url)` opens the same store elsewhere (e.g. a child process). */
  readonly url: string;

  /** The URI of a key. */
  uriFor(key: string): string;
  /** The key of a URI inside this store; throws `InvalidKeyError` if the URI points elsewhere. */
  keyOf(uri: string): string;
  /** Whether `uri` lies inside this store. */
  owns(uri: string): boolean;

  /** Writes one object from a stream, buffer or string, recording its sha256. */
  put(key: string, body: Body, options?: PutOptions): Promise<ArtifactStat>;
  /** Uploads a local file, or a directory as a directory artifact. */
  putPath(key: string, localPath: string, options?: PutOptions): Promise<ArtifactStat>;
  /** Streams one object. */
  get(key: string): Promise<Readable>;
  /** Downloads an artifact (file or directory) to `localPath`, creating parent folders. */
  getToPath(key: string, localPath: string): Promise<ArtifactStat>;
  /** Kind, size, digest and metadata; `ArtifactNotFoundError` if absent. */
  stat(key: string): Promise<ArtifactStat>;
  exists(key: string): Promise<boolean>;
  /** Keys of the objects whose key starts with `prefix` (a string prefix, as in S3), in code-point order. */
  list(prefix: string): AsyncIterable<string>;
  /** Removes an artifact (a directory artifact with everything under it). Absent keys are fine. */
  delete(key: string): Promise<void>;

  /** Reads one object as UTF-8 text. */
  readText(key: string): Promise<string>;
  /**
   * Reads one JSON record and parses it with its schema (the schemas live with
   * their keys in `@kiln/store-layout`). There is no unchecked form: a record
   * that is not JSON or not of the schema's shape is a `StoreRecordError`
   * naming the key and each problem.
   */
  readJson<S extends z.ZodType>(key: string, schema: S): Promise<z.output<S>>;
  /** Writes a value as JSON (2-space indented, trailing newline). */
  writeJson(key: string, value: unknown, options?: PutOptions): Promise<ArtifactStat>;
}
