/**
 * One streaming pass over a local file before it is uploaded: the whole file's sha256 (it goes
 * into the object's metadata, which S3 takes when the upload starts) and each part's sha256 (or
 * MD5 over TLS). The upload then streams the same byte ranges from disk again, and the server
 * checks every part against its hash, so the stored bytes are provably the digested bytes: a file
 * that changes during its upload fails it (`XAmzContentSHA256Mismatch` / `BadDigest`, not
 * retryable) instead of storing bytes that do not match the recorded digest. Memory: one read
 * buffer, whatever the file size.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Digest } from '../digest';
import type { Payload } from './requests';

const MiB = 1024 * 1024;
/** S3 allows at most this many parts per upload. */
const MAX_PARTS = 10_000;

export interface FilePart {
  offset: number;
  size: number;
  sha256?: string;
  md5?: string;
}

export interface FilePlan {
  path: string;
  size: number;
  digest: Digest;
  parts: FilePart[];
}

/** The part size for `size` bytes: at least `preferred`, large enough to stay within 10,000 parts. */
export function partSizeFor(size: number, preferred: number): number {
  return Math.max(preferred, Math.ceil(size / MAX_PARTS / MiB) * MiB);
}

/**
 * Hashes `path` once, whole and per part.
 *
 * @example
 * ```ts
 * const plan = await planFile('/tmp/model.bin', 16 << 20, { sha256: true, md5: false });
 * plan.digest; plan.parts.length;
 * ```
 */
export async function planFile(
  path: string,
  preferredPartSize: number,
  hashes: { sha256: boolean; md5: boolean },
): Promise<FilePlan> {
  const { size } = await stat(path);
  const partSize = partSizeFor(size, preferredPartSize);
  const whole = createHash('sha256');
  const parts: FilePart[] = [];
  let part: { sha?: Hash; md5?: Hash; offset: number; size: number } | undefined;
  const open = (offset: number) => ({
    offset,
    size: 0,
    ...(hashes.sha256 ? { sha: createHash('sha256') } : {}),
    ...(hashes.md5 ? { md5: createHash('md5') } : {}),
  });
  const close = (p: NonNullable<typeof part>) =>
    parts.push({
      offset: p.offset,
      size: p.size,
      ...(p.sha ? { sha256: p.sha.digest('hex') } : {}),
      ...(p.md5 ? { md5: p.md5.digest('base64') } : {}),
    });
  let offset = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: MiB })) {
    let buf = chunk as Buffer;
    whole.update(buf);
    while (buf.length > 0) {
      part ??= open(offset);
      const take = Math.min(buf.length, partSize - part.size);
      const piece = buf.subarray(0, take);
      part.sha?.update(piece);
      part.md5?.update(piece);
      part.size += take;
      offset += take;
      buf = buf.subarray(take);
      if (part.size === partSize) {
        close(part);
        part = undefined;
      }
    }
  }
  if (part) close(part);
  if (parts.length === 0) parts.push({ offset: 0, size: 0, ...emptyHashes(hashes) });
  return { path, size: offset, digest: `sha256:${whole.digest('hex')}`, parts };
}

function emptyHashes(hashes: { sha256: boolean; md5: boolean }): Partial<FilePart> {
  return {
    ...(hashes.sha256 ? { sha256: createHash('sha256').digest('hex') } : {}),
    ...(hashes.md5 ? { md5: createHash('md5').digest('base64') } : {}),
  };
}

/** A part of a planned file as a request body, re-readable for retries. */
export function filePartPayload(path: string, part: FilePart): Payload {
  return {
    open: () =>
      part.size === 0
        ? Buffer.alloc(0)
        : createReadStream(path, { start: part.offset, end: part.offset + part.size - 1, highWaterMark: MiB }),
    size: part.size,
    ...(part.sha256 ? { sha256: part.sha256 } : {}),
    ...(part.md5 ? { md5: part.md5 } : {}),
  };
}
