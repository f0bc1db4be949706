/**
 * Content digests: `sha256:<hex>`. A file hashes its bytes; a directory hashes
 * its listing, so two directories with the same files under the same relative
 * paths have the same digest wherever they live.
 */
import { digestListing as listingDigest } from '@kiln/ir/digest';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { compareCodePoints } from './compare';

/** `sha256:` + lowercase hex. */
export type Digest = `sha256:${string}`;

/** A digest of bytes in memory. */
export function digestBytes(bytes: string | Uint8Array): Digest {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** Streams a file through sha256 (bounded memory); returns its digest and size. */
export async function digestFile(path: string): Promise<{ digest: Digest; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { digest: `sha256:${hash.digest('hex')}`, size };
}

/** Every regular file under `dir`, as `/`-separated relative paths in code-point order. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) =>
      join(e.parentPath, e.name)
        .slice(dir.length + 1)
        .split('\\')
        .join('/'),
    )
    .sort(compareCodePoints);
}

/**
 * The digest of a directory: sha256 over one line per file, in code-point
 * order of relative path, each `<relative path>\0<file digest>\n`. Empty
 * directories do not count (object stores cannot hold them).
 *
 * @example
 * ```ts
 * const { digest, size, files } = await digestDirectory('/tmp/model');
 * ```
 */
export async function digestDirectory(dir: string): Promise<{ digest: Digest; size: number; files: number }> {
  const entries: ListingEntry[] = [];
  for (const rel of await listFiles(dir)) entries.push({ path: rel, ...(await digestFile(join(dir, rel))) });
  return { digest: digestListing(entries), size: entries.reduce((sum, e) => sum + e.size, 0), files: entries.length };
}

/** One file of a directory artifact: its `/`-separated relative path and content digest. */
export interface ListingEntry {
  path: string;
  digest: Digest;
  size: number;
}

/**
 * The directory digest of a listing (see {@link digestDirectory}); entries may come in any order.
 * Backends that never hold the directory on one disk (S3) compute it from per-file digests.
 * One implementation, shared with the typed client, which checks downloaded directories with it.
 *
 * @example
 * ```ts
 * digestListing([{ path: 'a.txt', digest: digestBytes('A'), size: 1 }]);
 * ```
 */
export const digestListing: (entries: readonly ListingEntry[]) => Digest = listingDigest;

/** A pass-through stream that hashes and counts what flows through it. */
export class DigestStream extends Transform {
  private readonly hash = createHash('sha256');
  size = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    this.size += chunk.length;
    callback(null, chunk);
  }

  /** Valid once the stream has ended. */
  digest(): Digest {
    return `sha256:${this.hash.digest('hex')}`;
  }
}
