/**
 * The `s3://bucket/prefix` backend (AWS S3, MinIO, any S3-compatible store) on the `minio`
 * client. Layout under the prefix: artifacts at `<key>` (a file) or under `<key>/` (a directory),
 * and the store's bookkeeping under `.kiln/` (a key's first segment can never be `.kiln`):
 * `dirs/<key>.json` directory manifests, `meta/<sha256(key)>/<sha256(json)>.json` artifact
 * metadata too large for object headers, `tmp/` streamed uploads in progress.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, stat as statLocal } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { Client, type BucketItemStat } from 'minio';
import type { z } from 'zod';
import { digestListing, type Digest, type ListingEntry } from '../digest';
import { ArtifactExistsError, ArtifactNotFoundError, InvalidKeyError, fromNodeError } from '../errors';
import { RESERVED_SEGMENT, validateKey } from '../keys';
import { parseRecord } from '../parse-record';
import type { ArtifactKind, ArtifactStat, ArtifactStore, Body, Metadata, PutOptions } from '../store';
import { resolveS3Config, type S3Config, type S3StoreOptions } from './config';
import { retrying, type S3Context } from './context';
import { downloadFile } from './download';
import { walkFiles } from './local-files';
import { isManifest, type DirectoryManifest } from './manifest';
import { encodeMetadata, readRecord, recordHeaders, type EncodedMetadata } from './object-metadata';
import { s3ObjectName } from './object-name';
import { mapLimit } from './pool';
import { bufferPayload, getObjectFrom, putObject, readText } from './requests';
import { newWriteId, uploadBytes, uploadFile, uploadStream, type ObjectWrite } from './upload';

/**
 * An artifact store in an S3 bucket. Streams in both directions with bounded memory (parts are
 * read from disk or buffered one at a time), records a sha256 per object in its metadata, keeps
 * directories as prefixes, creates atomically with `If-None-Match`, and retries transient
 * failures (network, 5xx, `SlowDown`) for up to a minute by default.
 *
 * @example
 * ```ts
 * // Settings from options or KILN_S3_ENDPOINT / KILN_S3_ACCESS_KEY / KILN_S3_SECRET_KEY / ...
 * const store = new S3ArtifactStore('s3://ml-artifacts/kiln', {
 *   endpoint: 'http://127.0.0.1:9000', accessKey: 'minio', secretKey: 'minio123',
 * });
 * const stat = await store.putPath('models/m1', '/tmp/out/model'); // a file or a directory
 * stat.uri;    // 's3://ml-artifacts/kiln/models/m1'
 * stat.digest; // 'sha256:…'
 * await store.getToPath('models/m1', '/tmp/in/model');
 * ```
 */
export class S3ArtifactStore implements ArtifactStore {
  readonly url: string;
  readonly config: S3Config;
  private readonly ctx: S3Context;
  /** `prefix/` or `''`: what object names start with. */
  private readonly base: string;

  constructor(
    url: string,
    private readonly options: S3StoreOptions = {},
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.config = resolveS3Config(url, options, env);
    this.url = this.config.url;
    this.base = this.config.prefix === '' ? '' : `${this.config.prefix}/`;
    const client = new Client({
      endPoint: this.config.endPoint,
      ...(this.config.port !== undefined ? { port: this.config.port } : {}),
      useSSL: this.config.useSSL,
      accessKey: this.config.accessKey,
      secretKey: this.config.secretKey,
      ...(this.config.sessionToken ? { sessionToken: this.config.sessionToken } : {}),
      region: this.config.region,
      pathStyle: this.config.pathStyle,
      // Our own retry: the client's would resend a request body stream it has already consumed.
      retryOptions: { disableRetry: true },
    });
    this.ctx = {
      client,
      bucket: this.config.bucket,
      region: this.config.region,
      partSize: this.config.partSize,
      concurrency: this.config.concurrency,
      retry: this.config.retry,
    };
  }

  /** The same settings at another bucket or prefix (e.g. to read an input from another bucket). */
  atUrl(url: string): S3ArtifactStore {
    return new S3ArtifactStore(url, this.options, this.env);
  }

  uriFor(key: string): string {
    return `${this.url}/${validateKey(key)}`;
  }

  keyOf(uri: string): string {
    if (!uri.startsWith('s3://'))
      throw new InvalidKeyError(uri, `is not an s3:// URI, so it is not in the store at ${this.url}`);
    if (!uri.startsWith(`${this.url}/`)) throw new InvalidKeyError(uri, `is outside the store at ${this.url}`);
    return validateKey(uri.slice(this.url.length + 1));
  }

  owns(uri: string): boolean {
    try {
      this.keyOf(uri);
      return true;
    } catch {
      return false;
    }
  }

  async put(key: string, body: Body, options: PutOptions = {}): Promise<ArtifactStat> {
    const write = this.writeFor(key, options);
    if (options.ifAbsent && (await this.exists(key))) throw new ArtifactExistsError(key);
    const { headersFor, finish } = await this.recording(key, write, options.metadata ?? {});
    const written =
      typeof body === 'string' || body instanceof Uint8Array
        ? await uploadBytes(this.ctx, write, Buffer.from(body), headersFor)
        : await uploadStream(this.ctx, write, body, this.reserved('tmp', randomUUID()), headersFor);
    if (!options.ifAbsent) await this.removeDirectory(key);
    return finish('file', written.digest, written.size);
  }

  async putPath(key: string, localPath: string, options: PutOptions = {}): Promise<ArtifactStat> {
    const write = this.writeFor(key, options);
    const source = await statLocal(localPath).catch((error: unknown) => {
      throw fromNodeError(error, localPath, 'read local path');
    });
    if (options.ifAbsent && (await this.exists(key))) throw new ArtifactExistsError(key);
    if (source.isDirectory()) return this.putDirectory(key, localPath, write, options);
    const { headersFor, finish } = await this.recording(key, write, options.metadata ?? {});
    const written = await this.wrapLocal(key, 'put', () => uploadFile(this.ctx, write, localPath, headersFor));
    if (!options.ifAbsent) await this.removeDirectory(key);
    return finish('file', written.digest, written.size);
  }

  async get(key: string): Promise<Readable> {
    const head = await this.head(key);
    if (!head) {
      await this.stat(key); // throws not-found, or says what is there instead
      throw new InvalidKeyError(key, 'is a directory artifact; use getToPath or list its files');
    }
    return retrying(this.ctx, key, 'get', () => getObjectFrom(this.ctx, this.objectName(key), 0, head.etag));
  }

  async getToPath(key: string, localPath: string): Promise<ArtifactStat> {
    const head = await this.head(key);
    if (head) {
      const recorded = readRecord(head.metaData);
      const { digest } = await downloadFile(this.ctx, key, this.objectName(key), localPath, {
        size: head.size,
        etag: head.etag,
        ...(recorded.digest ? { digest: recorded.digest } : {}),
      });
      return this.fileStat(key, head, digest);
    }
    const stat = await this.stat(key);
    const manifest = await this.readManifest(key);
    const files = manifest?.files ?? (await this.implicitListing(key));
    await mkdir(localPath, { recursive: true });
    await mapLimit(files, this.ctx.concurrency, (file) =>
      downloadFile(this.ctx, key, this.objectName(`${key}/${file.path}`), join(localPath, ...file.path.split('/')), {
        size: file.size,
        digest: file.digest,
      }),
    );
    return stat;
  }

  async stat(key: string): Promise<ArtifactStat> {
    const head = await this.head(key);
    if (head) return this.fileStat(key, head);
    const manifest = await this.readManifest(key);
    if (manifest) {
      const { kind, digest, size, metadata, createdAt } = manifest;
      return { key, uri: this.uriFor(key), kind, size, digest, metadata, createdAt };
    }
    // Objects under key/ without a manifest (written one by one): a directory, as on file://.
    const files = await this.implicitListing(key);
    if (files.length === 0) throw new ArtifactNotFoundError(key);
    return {
      key,
      uri: this.uriFor(key),
      kind: 'directory',
      size: files.reduce((sum, f) => sum + f.size, 0),
      digest: digestListing(files),
      metadata: {},
      createdAt: new Date().toISOString(),
    };
  }

  async exists(key: string): Promise<boolean> {
    if (await this.head(key)) return true;
    for await (const _ of this.names(`${this.objectName(key)}/`, 1)) return true;
    return (await this.headName(key, this.manifestName(key))) !== undefined;
  }

  async *list(prefix: string): AsyncIterable<string> {
    if (prefix.includes('\0')) throw new InvalidKeyError(prefix, 'contains a NUL character');
    const cut = prefix.lastIndexOf('/');
    if (cut > 0) validateKey(prefix.slice(0, cut));
    for await (const name of this.names(this.base + prefix)) {
      const key = name.slice(this.base.length);
      if (key.split('/', 1)[0] !== RESERVED_SEGMENT) yield key;
    }
  }

  async delete(key: string): Promise<void> {
    const name = this.objectName(key);
    const doomed = [name, this.manifestName(key)];
    for await (const under of this.names(`${name}/`)) doomed.push(under);
    for await (const sidecar of this.names(this.metadataDir(key))) doomed.push(sidecar);
    await this.removeNames(key, doomed);
  }

  async readText(key: string): Promise<string> {
    const name = this.objectName(key);
    return retrying(this.ctx, key, 'read', async () => readText(await getObjectFrom(this.ctx, name, 0)));
  }

  async readJson<S extends z.ZodType>(key: string, schema: S): Promise<z.output<S>> {
    return parseRecord(key, await this.readText(key), schema);
  }

  async writeJson(key: string, value: unknown, options?: PutOptions): Promise<ArtifactStat> {
    return this.put(key, `${JSON.stringify(value, null, 2)}\n`, options);
  }

  // -------------------------------------------------------------------------------------------

  private objectName(key: string): string {
    return s3ObjectName(this.base, key);
  }

  private reserved(...parts: string[]): string {
    return `${this.base}${RESERVED_SEGMENT}/${parts.join('/')}`;
  }

  private manifestName(key: string): string {
    return this.reserved('dirs', `${validateKey(key)}.json`);
  }

  private metadataDir(key: string): string {
    return this.reserved('meta', `${createHash('sha256').update(validateKey(key)).digest('hex')}/`);
  }

  private writeFor(key: string, options: PutOptions): ObjectWrite {
    return { key, name: this.objectName(key), ifAbsent: options.ifAbsent === true, writeId: newWriteId() };
  }

  /**
   * Prepares the record of a write: stores oversized metadata first (content-addressed, so a
   * racing writer cannot clobber it), and returns the header builder and the resulting stat.
   */
  private async recording(key: string, write: ObjectWrite, metadata: Metadata) {
    const createdAt = new Date().toISOString();
    const encoded: EncodedMetadata = encodeMetadata(metadata);
    if ('ref' in encoded) {
      const sidecar = `${this.metadataDir(key)}${encoded.ref}.json`;
      const payload = bufferPayload(Buffer.from(encoded.json));
      await retrying(this.ctx, key, 'put', () =>
        putObject(this.ctx, sidecar, payload, { 'Content-Type': 'application/json' }),
      );
    }
    return {
      headersFor: (digest: Digest) => recordHeaders({ digest, createdAt, writeId: write.writeId, metadata: encoded }),
      finish: (kind: ArtifactKind, digest: Digest, size: number): ArtifactStat => ({
        key,
        uri: this.uriFor(key),
        kind,
        size,
        digest,
        metadata,
        createdAt,
      }),
    };
  }

  private async putDirectory(
    key: string,
    localPath: string,
    write: ObjectWrite,
    options: PutOptions,
  ): Promise<ArtifactStat> {
    const files = await this.wrapLocal(key, 'put', () => walkFiles(localPath));
    const createdAt = new Date().toISOString();
    const entries: ListingEntry[] = await mapLimit(files, this.ctx.concurrency, async (file) => {
      const fileWrite: ObjectWrite = {
        key,
        name: this.objectName(`${key}/${file.path}`),
        ifAbsent: false,
        writeId: write.writeId,
      };
      const written = await this.wrapLocal(key, 'put', () =>
        uploadFile(this.ctx, fileWrite, file.absolute, (digest) =>
          recordHeaders({ digest, createdAt, writeId: write.writeId, metadata: { inline: '%7B%7D' } }),
        ),
      );
      return { path: file.path, digest: written.digest, size: written.size };
    });
    const manifest: DirectoryManifest = {
      kind: 'directory',
      digest: digestListing(entries),
      size: entries.reduce((sum, e) => sum + e.size, 0),
      createdAt,
      metadata: options.metadata ?? {},
      writeId: write.writeId,
      files: entries,
    };
    const manifestWrite: ObjectWrite = { ...write, name: this.manifestName(key) };
    await uploadBytes(this.ctx, manifestWrite, Buffer.from(JSON.stringify(manifest)), () => ({
      'Content-Type': 'application/json',
      'x-amz-meta-kiln-write-id': write.writeId,
    }));
    if (!options.ifAbsent) {
      // Replacing: drop a file artifact at the key and files of an older version of the directory.
      const keep = new Set(entries.map((e) => this.objectName(`${key}/${e.path}`)));
      const stale = [this.objectName(key)];
      for await (const name of this.names(`${this.objectName(key)}/`)) if (!keep.has(name)) stale.push(name);
      for await (const sidecar of this.names(this.metadataDir(key))) stale.push(sidecar);
      await this.removeNames(key, stale);
    }
    const { kind, digest, size, metadata } = manifest;
    return { key, uri: this.uriFor(key), kind, digest, size, metadata, createdAt };
  }

  /** After a file was written over a directory artifact: remove the directory. */
  private async removeDirectory(key: string): Promise<void> {
    if ((await this.headName(key, this.manifestName(key))) === undefined) return;
    const doomed = [this.manifestName(key)];
    for await (const under of this.names(`${this.objectName(key)}/`)) doomed.push(under);
    await this.removeNames(key, doomed);
  }

  private async fileStat(key: string, head: BucketItemStat, computed?: Digest): Promise<ArtifactStat> {
    const record = readRecord(head.metaData);
    let metadata: Metadata = record.inlineMetadata ?? {};
    if (record.metadataRef)
      metadata = await this.readJsonObject<Metadata>(key, `${this.metadataDir(key)}${record.metadataRef}.json`);
    return {
      key,
      uri: this.uriFor(key),
      kind: 'file',
      size: head.size,
      digest: record.digest ?? computed ?? (await this.digestObject(key, this.objectName(key), head.etag)),
      metadata,
      createdAt: record.createdAt ?? head.lastModified.toISOString(),
    };
  }

  /** The digest of an object written without one (by another tool): stream it through sha256. */
  private async digestObject(key: string, name: string, etag?: string): Promise<Digest> {
    return retrying(this.ctx, key, 'stat', async () => {
      const hash = createHash('sha256');
      for await (const chunk of await getObjectFrom(this.ctx, name, 0, etag)) hash.update(chunk as Buffer);
      return `sha256:${hash.digest('hex')}` as Digest;
    });
  }

  /** The files under `key/` with their digests, for a prefix that has no manifest. */
  private async implicitListing(key: string): Promise<ListingEntry[]> {
    const base = `${this.objectName(key)}/`;
    const names: string[] = [];
    for await (const name of this.names(base)) names.push(name);
    return mapLimit(names, this.ctx.concurrency, async (name) => {
      const head = (await this.headName(key, name)) as BucketItemStat;
      return {
        path: name.slice(base.length),
        size: head.size,
        digest: readRecord(head.metaData).digest ?? (await this.digestObject(key, name, head.etag)),
      };
    });
  }

  private head(key: string): Promise<BucketItemStat | undefined> {
    return this.headName(key, this.objectName(key));
  }

  /** HEAD an object; undefined if absent. (A missing bucket also answers 404 to HEAD; the next GET or LIST names it.) */
  private async headName(key: string, name: string): Promise<BucketItemStat | undefined> {
    try {
      return await retrying(this.ctx, key, 'stat', () => this.ctx.client.statObject(this.ctx.bucket, name));
    } catch (error) {
      if (error instanceof ArtifactNotFoundError) return undefined;
      throw error;
    }
  }

  private async readManifest(key: string): Promise<DirectoryManifest | undefined> {
    try {
      const manifest = await this.readJsonObject<unknown>(key, this.manifestName(key));
      return isManifest(manifest) ? manifest : undefined;
    } catch (error) {
      if (error instanceof ArtifactNotFoundError) return undefined;
      throw error;
    }
  }

  private async readJsonObject<T>(key: string, name: string): Promise<T> {
    return retrying(
      this.ctx,
      key,
      'read',
      async () => JSON.parse(await readText(await getObjectFrom(this.ctx, name, 0))) as T,
    );
  }

  /** Object names starting with `prefix`, in order; each page is retried on its own. */
  private async *names(prefix: string, limit = Infinity): AsyncIterable<string> {
    let token = '';
    let count = 0;
    do {
      const page = await retrying(this.ctx, prefix, 'list', () =>
        this.ctx.client.listObjectsV2Query(this.ctx.bucket, prefix, token, '', Math.min(1000, limit - count), ''),
      );
      for (const item of page.objects) {
        if (item.name === undefined) continue;
        yield item.name;
        if (++count >= limit) return;
      }
      token = page.isTruncated ? page.nextContinuationToken : '';
    } while (token !== '');
  }

  private async removeNames(key: string, names: string[]): Promise<void> {
    for (let i = 0; i < names.length; i += 1000) {
      const batch = names.slice(i, i + 1000);
      await retrying(this.ctx, key, 'delete', async () => {
        for (const result of await this.ctx.client.removeObjects(this.ctx.bucket, batch)) {
          const failed = result as { Code?: string; Message?: string };
          if (failed.Code) throw Object.assign(new Error(failed.Message ?? failed.Code), { code: failed.Code });
        }
      });
    }
  }

  /** Local file-system errors (reading what is uploaded) in the store's vocabulary, as on file://. */
  private async wrapLocal<T>(key: string, operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw fromNodeError(error, key, operation);
    }
  }
}
