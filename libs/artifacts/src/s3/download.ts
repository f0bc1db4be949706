/**
 * Reading an object into a local file with bounded memory: the response streams to disk through
 * a hash, and a connection lost halfway resumes with a ranged GET from the last byte written
 * (`If-Match` on the ETag, so a replaced object is never spliced onto the old one). The file
 * appears at its path only once complete and checked against the recorded digest.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Digest } from '../digest';
import { ArtifactIoError } from '../errors';
import { retrying, type S3Context } from './context';
import { getObjectFrom } from './requests';

export interface Expected {
  size: number;
  /** The object's ETag, to pin the version being read; absent: whatever is there. */
  etag?: string;
  /** Checked after the download when known. */
  digest?: Digest;
}

/**
 * Downloads `name` to `localPath`, returning the digest of what was written.
 *
 * @example
 * ```ts
 * const { digest } = await downloadFile(ctx, 'models/m1', 'prefix/models/m1', '/tmp/m1', { size, etag, digest: recorded });
 * ```
 */
export async function downloadFile(
  ctx: S3Context,
  key: string,
  name: string,
  localPath: string,
  expected: Expected,
): Promise<{ digest: Digest; size: number }> {
  await mkdir(dirname(localPath), { recursive: true });
  const temp = `${localPath}.kiln-${randomUUID()}.part`;
  const hash = createHash('sha256');
  let written = 0;
  const file = await open(temp, 'wx');
  try {
    await retrying(ctx, key, 'download', async () => {
      // A failed attempt may have left a partial chunk in flight: restart exactly at what the hash saw.
      await file.truncate(written);
      const res = await getObjectFrom(ctx, name, written, expected.etag).catch((error: unknown) => {
        if ((error as { code?: unknown }).code !== 'PreconditionFailed') throw error;
        // Only a concurrent overwrite does this; the caller may read the new version from the start.
        throw new ArtifactIoError(key, 'download', false, {
          cause: new Error('the object was replaced while it was being read', { cause: error }),
        });
      });
      await pipeline(
        res,
        appendingTo(file, written, (chunk) => {
          hash.update(chunk);
          written += chunk.length;
        }),
      );
    });
    await file.close();
  } catch (error) {
    await file.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw error;
  }
  const digest: Digest = `sha256:${hash.digest('hex')}`;
  if (written !== expected.size || (expected.digest && digest !== expected.digest)) {
    await rm(temp, { force: true });
    const what =
      written !== expected.size
        ? `${written} bytes instead of ${expected.size}`
        : `digest ${digest} instead of the recorded ${expected.digest}`;
    throw new ArtifactIoError(key, 'download', false, {
      cause: new Error(`the downloaded content does not match the store's record: ${what}`),
    });
  }
  await rename(temp, localPath);
  return { digest, size: written };
}

/** A Writable over a file handle that reports each chunk only once it is on disk. */
function appendingTo(file: FileHandle, start: number, onWritten: (chunk: Buffer) => void): Writable {
  let position = start;
  return new Writable({
    highWaterMark: 1024 * 1024,
    writev(chunks, callback) {
      const buffers = chunks.map((c) => c.chunk as Buffer);
      file.writev(buffers, position).then(
        ({ bytesWritten }) => {
          position += bytesWritten;
          for (const b of buffers) onWritten(b);
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
}
