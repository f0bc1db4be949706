/**
 * The `file://` backend: artifacts are plain files and folders under a root, so
 * a user can open them with any tool. The store's own bookkeeping lives under
 * `<root>/.kiln/`: `meta/<key>.json` sidecars (digest, size, metadata) and
 * `tmp/` for writes in progress, on the same file system so that publishing a
 * write is one `link`/`rename`.
 */
import { randomUUID } from 'node:crypto';
import { constants, createReadStream } from 'node:fs';
import {
  copyFile,
  cp,
  link,
  lstat,
  mkdir,
  open,
  readFile,
  readdir,
  rename,
  rm,
  unlink,
  writeFile,
} from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { z } from 'zod';
import { compareCodePoints } from './compare';
import { DigestStream, digestDirectory, digestFile, type Digest } from './digest';
import { ArtifactExistsError, InvalidKeyError, fromNodeError } from './errors';
import { RESERVED_SEGMENT, validateKey } from './keys';
import { parseRecord } from './parse-record';
import type { ArtifactKind, ArtifactStat, ArtifactStore, Body, Metadata, PutOptions } from './store';

/** What a sidecar holds. `mtimeMs` lets `stat` notice a file changed behind the store's back. */
interface Sidecar {
  kind: ArtifactKind;
  size: number;
  digest: Digest;
  metadata: Metadata;
  createdAt: string;
  mtimeMs?: number;
}

/**
 * An artifact store in a local folder.
 *
 * @example
 * ```ts
 * const store = new FileArtifactStore('file:///home/me/.local/share/kiln/artifacts');
 * const stat = await store.putPath('models/m1', '/tmp/out/model'); // a file or a directory
 * stat.digest; // 'sha256:…'
 * ```
 */
export class FileArtifactStore implements ArtifactStore {
  readonly url: string;
  /** Absolute path of the root folder. */
  readonly root: string;
  private readonly metaRoot: string;
  private readonly tmpRoot: string;

  constructor(url: string) {
    this.root = resolve(url.startsWith('file:') ? fileURLToPath(url) : url);
    this.url = pathToFileURL(this.root).href;
    this.metaRoot = join(this.root, RESERVED_SEGMENT, 'meta');
    this.tmpRoot = join(this.root, RESERVED_SEGMENT, 'tmp');
  }

  uriFor(key: string): string {
    return pathToFileURL(this.pathOf(key)).href;
  }

  keyOf(uri: string): string {
    if (!uri.startsWith('file:'))
      throw new InvalidKeyError(uri, `is not a file:// URI, so it is not in the store at ${this.url}`);
    let path: string;
    try {
      path = fileURLToPath(uri);
    } catch (error) {
      throw new InvalidKeyError(uri, `is not a valid file URI (${(error as Error).message})`);
    }
    const rel = relative(this.root, path);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
      throw new InvalidKeyError(uri, `is outside the store at ${this.url}`);
    }
    return validateKey(rel.split(sep).join('/'));
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
    const dest = this.pathOf(key);
    const tmp = this.tempPath();
    const digester = new DigestStream();
    let mtimeMs: number;
    try {
      // Opened before the body is read, so a missing temp folder is made and the open retried with nothing consumed.
      const file = await this.inFolder(tmp, () => open(tmp, 'wx'));
      try {
        const source =
          typeof body === 'string' || body instanceof Uint8Array ? Readable.from([Buffer.from(body)]) : body;
        await pipeline(source, digester, async (chunks: AsyncIterable<Buffer>) => {
          // writeFile, unlike write, writes the whole chunk (a short write continues) from the current position.
          for await (const chunk of chunks) await file.writeFile(chunk);
        });
        // The inode's mtime, which neither the rename nor the link below changes: `stat` compares it later.
        mtimeMs = (await file.stat()).mtimeMs;
      } finally {
        await file.close();
      }
      await this.publish(key, tmp, dest, 'file', options);
    } catch (error) {
      await rm(tmp, { force: true });
      throw fromNodeError(error, key, 'put');
    }
    return this.writeSidecar(key, {
      kind: 'file',
      size: digester.size,
      digest: digester.digest(),
      metadata: options.metadata ?? {},
      createdAt: new Date().toISOString(),
      mtimeMs,
    });
  }

  async putPath(key: string, localPath: string, options: PutOptions = {}): Promise<ArtifactStat> {
    const dest = this.pathOf(key);
    const source = await lstat(localPath).catch((error: unknown) => {
      throw fromNodeError(error, localPath, 'read local path');
    });
    const tmp = this.tempPath();
    try {
      let sidecar: Sidecar;
      if (source.isDirectory()) {
        // Dereference links: the store holds content, not pointers to the producer's disk.
        await this.inFolder(tmp, () => cp(localPath, tmp, { recursive: true, dereference: true, errorOnExist: true }));
        const { digest, size } = await digestDirectory(tmp);
        sidecar = {
          kind: 'directory',
          size,
          digest,
          metadata: options.metadata ?? {},
          createdAt: new Date().toISOString(),
        };
        await this.publish(key, tmp, dest, 'directory', options);
      } else {
        await this.inFolder(tmp, () => copyFile(localPath, tmp, constants.COPYFILE_FICLONE | constants.COPYFILE_EXCL));
        const { digest, size } = await digestFile(tmp);
        await this.publish(key, tmp, dest, 'file', options);
        sidecar = {
          kind: 'file',
          size,
          digest,
          metadata: options.metadata ?? {},
          createdAt: new Date().toISOString(),
          mtimeMs: (await lstat(dest)).mtimeMs,
        };
      }
      return await this.writeSidecar(key, sidecar);
    } catch (error) {
      await rm(tmp, { recursive: true, force: true });
      throw fromNodeError(error, key, 'put');
    }
  }

  async get(key: string): Promise<Readable> {
    const stat = await this.stat(key);
    if (stat.kind === 'directory') {
      throw new InvalidKeyError(key, 'is a directory artifact; use getToPath or list its files');
    }
    return createReadStream(this.pathOf(key));
  }

  async getToPath(key: string, localPath: string): Promise<ArtifactStat> {
    const stat = await this.stat(key);
    try {
      await mkdir(dirname(localPath), { recursive: true });
      if (stat.kind === 'directory') {
        await cp(this.pathOf(key), localPath, { recursive: true, dereference: true });
      } else {
        // A copy, never a link: the step may modify its inputs without touching the store.
        await copyFile(this.pathOf(key), localPath, constants.COPYFILE_FICLONE);
      }
    } catch (error) {
      throw fromNodeError(error, key, 'download');
    }
    return stat;
  }

  async stat(key: string): Promise<ArtifactStat> {
    const path = this.pathOf(key);
    const info = await lstat(path).catch((error: unknown) => {
      throw fromNodeError(error, key, 'stat');
    });
    const kind: ArtifactKind = info.isDirectory() ? 'directory' : 'file';
    const sidecar = await this.readSidecar(key);
    // Trust the sidecar only if the content still looks like what it describes.
    if (
      sidecar &&
      sidecar.kind === kind &&
      (kind === 'directory' || (sidecar.size === info.size && sidecar.mtimeMs === info.mtimeMs))
    ) {
      return { key, uri: this.uriFor(key), ...withoutMtime(sidecar) };
    }
    const { digest, size } = kind === 'directory' ? await digestDirectory(path) : await digestFile(path);
    return {
      key,
      uri: this.uriFor(key),
      kind,
      size,
      digest,
      metadata: sidecar?.metadata ?? {},
      createdAt: sidecar?.createdAt ?? info.mtime.toISOString(),
    };
  }

  async exists(key: string): Promise<boolean> {
    try {
      await lstat(this.pathOf(key));
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR')
        return false;
      throw fromNodeError(error, key, 'stat');
    }
  }

  async *list(prefix: string): AsyncIterable<string> {
    if (prefix.includes('\0')) throw new InvalidKeyError(prefix, 'contains a NUL character');
    const cut = prefix.lastIndexOf('/');
    const base = cut < 0 ? '' : prefix.slice(0, cut);
    if (base !== '') validateKey(base);
    yield* this.walk(base, prefix);
  }

  async delete(key: string): Promise<void> {
    try {
      await rm(this.pathOf(key), { recursive: true, force: true });
      await rm(this.sidecarPath(key), { force: true });
      // A key that names a folder: its files' sidecars sit in the same folder under meta/.
      await rm(join(this.metaRoot, ...validateKey(key).split('/')), { recursive: true, force: true });
    } catch (error) {
      throw fromNodeError(error, key, 'delete');
    }
  }

  async readText(key: string): Promise<string> {
    try {
      return await readFile(this.pathOf(key), 'utf8');
    } catch (error) {
      throw fromNodeError(error, key, 'read');
    }
  }

  async readJson<S extends z.ZodType>(key: string, schema: S): Promise<z.output<S>> {
    return parseRecord(key, await this.readText(key), schema);
  }

  async writeJson(key: string, value: unknown, options?: PutOptions): Promise<ArtifactStat> {
    return this.put(key, `${JSON.stringify(value, null, 2)}\n`, options);
  }

  // -------------------------------------------------------------------------------------------

  private pathOf(key: string): string {
    return join(this.root, ...validateKey(key).split('/'));
  }

  private sidecarPath(key: string): string {
    return `${join(this.metaRoot, ...validateKey(key).split('/'))}.json`;
  }

  private tempPath(): string {
    return join(this.tmpRoot, randomUUID());
  }

  /**
   * Runs `write`, which creates `path`; if its folder is missing, makes it and runs `write` once more.
   * Folders are made only when missing rather than before every write: a step's record, log and
   * outputs each cost a put, and most of them land in folders that already exist.
   */
  private async inFolder<T>(path: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      await mkdir(dirname(path), { recursive: true });
      return await write();
    }
  }

  /** Makes a finished temp file or folder visible at `dest` in one step. */
  private async publish(
    key: string,
    tmp: string,
    dest: string,
    kind: ArtifactKind,
    options: PutOptions,
  ): Promise<void> {
    if (options.ifAbsent) {
      if (kind === 'file') {
        // link(2) fails with EEXIST if anything is at dest: O_EXCL semantics for a complete file.
        await this.inFolder(dest, () => link(tmp, dest)).catch((error: unknown) => {
          throw (error as NodeJS.ErrnoException).code === 'EEXIST'
            ? new ArtifactExistsError(key, { cause: error })
            : error;
        });
        await unlink(tmp);
        return;
      }
      if (await this.exists(key)) throw new ArtifactExistsError(key);
      // rename(2) of a folder fails on a non-empty target folder, so a racing writer still loses.
      await this.inFolder(dest, () => rename(tmp, dest)).catch((error: unknown) => {
        const code = (error as NodeJS.ErrnoException).code;
        throw code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'ENOTDIR'
          ? new ArtifactExistsError(key, { cause: error })
          : error;
      });
      return;
    }
    try {
      await this.inFolder(dest, () => rename(tmp, dest));
    } catch (error) {
      // Something of the other kind, or a non-empty folder, is in the way: rename(2) replaces only a file
      // with a file and a folder with an empty folder. Replacing a folder is not atomic on a POSIX file
      // system; overwrites are rare (retries of the same step).
      if (!replaceable.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
      await rm(dest, { recursive: true, force: true });
      await rename(tmp, dest);
    }
  }

  private async readSidecar(key: string): Promise<Sidecar | undefined> {
    try {
      return JSON.parse(await readFile(this.sidecarPath(key), 'utf8')) as Sidecar;
    } catch {
      return undefined;
    }
  }

  private async writeSidecar(key: string, sidecar: Sidecar): Promise<ArtifactStat> {
    const path = this.sidecarPath(key);
    const tmp = this.tempPath();
    await this.inFolder(tmp, () => writeFile(tmp, JSON.stringify(sidecar), { flag: 'wx' }));
    await this.inFolder(path, () => rename(tmp, path));
    return { key, uri: this.uriFor(key), ...withoutMtime(sidecar) };
  }

  /** Depth-first, each folder's entries ordered as full keys would be (a folder sorts as `name/`). */
  private async *walk(base: string, prefix: string): AsyncIterable<string> {
    const dir = base === '' ? this.root : this.pathOf(base);
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return;
      throw fromNodeError(error, base, 'list');
    }
    const named = entries
      .filter((e) => !(base === '' && e.name === RESERVED_SEGMENT))
      .map((e) => ({ entry: e, sortKey: e.isDirectory() ? `${e.name}/` : e.name }))
      .sort((a, b) => compareCodePoints(a.sortKey, b.sortKey));
    for (const { entry } of named) {
      const key = base === '' ? entry.name : `${base}/${entry.name}`;
      if (entry.isDirectory()) {
        // Descend only where keys under this folder can still match the prefix.
        if (`${key}/`.startsWith(prefix) || prefix.startsWith(`${key}/`)) yield* this.walk(key, prefix);
      } else if (entry.isFile() && key.startsWith(prefix)) {
        yield key;
      }
    }
  }
}

/** What rename(2) answers when the destination is a folder it may not replace, or a file where a folder goes. */
const replaceable = new Set(['EISDIR', 'ENOTEMPTY', 'EEXIST', 'ENOTDIR']);

function withoutMtime(sidecar: Sidecar): Omit<Sidecar, 'mtimeMs'> {
  const { mtimeMs: _mtime, ...rest } = sidecar;
  return rest;
}
