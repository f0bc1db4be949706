/**
 * Reading an object into a local file with bounded memory. An object larger than one part is read
 * as parallel ranged GETs (`concurrency` at a time, sized by {@link downloadRangeSize}), every range streamed
 * straight to its offset in the file; one TCP stream to a single server rarely fills the link,
 * a few do. Every range is pinned to one version of the object with `If-Match` on its ETag, so a
 * replaced object is never spliced onto the old one, and a range whose connection is lost resumes
 * from its last byte written. The sha256 is taken in order, from the file, as the ranges complete
 * (the bytes just written are still in the page cache), in a worker thread, so it overlaps the
 * download on another core and needs one read buffer. The file appears at its path only once complete and checked against the recorded
 * digest.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { IncomingMessage } from 'node:http';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Worker } from 'node:worker_threads';
import type { Digest } from '../digest';
import { ArtifactError, ArtifactIoError, ArtifactNotFoundError } from '../errors';
import { retrying, type S3Context } from './context';
import { mapLimit } from './pool';
import { getObjectFrom, getObjectRange } from './requests';

const MiB = 1024 * 1024;

export interface Expected {
  size: number;
  /** The object's ETag, to pin the version being read; absent: whatever is there (looked up before ranged reads). */
  etag?: string;
  /** Checked after the download when known. */
  digest?: Digest;
}

/** One ranged GET: bytes `start` to `start + size - 1`. */
export interface ByteRange {
  index: number;
  start: number;
  size: number;
}

/**
 * `size` bytes cut into ranges of `partSize` (the last one shorter).
 *
 * @example
 * ```ts
 * byteRanges(10, 4) // [{ index: 0, start: 0, size: 4 }, { index: 1, start: 4, size: 4 }, { index: 2, start: 8, size: 2 }]
 * ```
 */
export function byteRanges(size: number, partSize: number): ByteRange[] {
  const ranges: ByteRange[] = [];
  for (let start = 0, index = 0; start < size; start += partSize, index++)
    ranges.push({ index, start, size: Math.min(partSize, size - start) });
  return ranges;
}

/** Ranges larger than this gain nothing measurable and make a slow last range hold up the file longer. */
const MAX_DOWNLOAD_RANGE = 64 * MiB;
/** Ranges per connection aimed for, so the connections stay busy to the end when one range is slower. */
const RANGES_PER_CONNECTION = 4;

/**
 * How many bytes each ranged GET of a `size`-byte object asks for: `partSize`, or more for a big
 * object, up to 64 MiB while each of the `concurrency` connections still gets about four ranges.
 * Why: every range is a request MinIO or S3 must sign-check, open and seek, and a hashing hand-off;
 * a 1 GiB download measured 0.92× the plain client's single stream with 16 MiB ranges and 1.06× with
 * 64 MiB ones (medians of 7, interleaved; tools/bench/results/artifacts.md). Memory does not grow
 * with it: a range streams to disk through a 256 KiB buffer.
 *
 * @example
 * ```ts
 * downloadRangeSize(1024 * MiB, 16 * MiB, 4) // 64 MiB: 16 ranges instead of 64
 * downloadRangeSize(100 * MiB, 16 * MiB, 4)  // 16 MiB: the part size
 * ```
 */
export function downloadRangeSize(size: number, partSize: number, concurrency: number): number {
  const perRange = Math.ceil(size / (concurrency * RANGES_PER_CONNECTION) / MiB) * MiB;
  return Math.max(partSize, Math.min(MAX_DOWNLOAD_RANGE, perRange));
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
  const file = await open(temp, 'wx');
  let got: { digest: Digest; size: number };
  try {
    const ranges = byteRanges(expected.size, downloadRangeSize(expected.size, ctx.partSize, ctx.concurrency));
    got =
      ranges.length > 1 && ctx.concurrency > 1
        ? await downloadRanges(ctx, key, name, { file, path: temp }, ranges, await pinnedEtag(ctx, key, name, expected))
        : await downloadStream(ctx, key, name, file, expected.etag);
    await file.close();
  } catch (error) {
    await file.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw error;
  }
  if (got.size !== expected.size || (expected.digest && got.digest !== expected.digest)) {
    await rm(temp, { force: true });
    const what =
      got.size !== expected.size
        ? `${got.size} bytes instead of ${expected.size}`
        : `digest ${got.digest} instead of the recorded ${expected.digest}`;
    throw new ArtifactIoError(key, 'download', false, {
      cause: new Error(`the downloaded content does not match the store's record: ${what}`),
    });
  }
  await rename(temp, localPath);
  return got;
}

/** The ETag every range is pinned to: the caller's, or the object's as it is now (one HEAD). */
async function pinnedEtag(ctx: S3Context, key: string, name: string, expected: Expected): Promise<string> {
  if (expected.etag) return expected.etag;
  const head = await retrying(ctx, key, 'stat', () => ctx.client.statObject(ctx.bucket, name));
  if (head.size !== expected.size)
    throw new ArtifactIoError(key, 'download', false, {
      cause: new Error(`the object has ${head.size} bytes, not the ${expected.size} its listing said`),
    });
  return head.etag;
}

/** A replaced object (`If-Match` failed) can only be read again from the start, by the caller. */
function replacedWhileRead(key: string) {
  return (error: unknown): never => {
    if ((error as { code?: unknown }).code !== 'PreconditionFailed') throw error;
    throw new ArtifactIoError(key, 'download', false, {
      cause: new Error('the object was replaced while it was being read', { cause: error }),
    });
  };
}

/** One GET of the whole object, hashed as it streams; a lost connection resumes from the last byte written. */
async function downloadStream(
  ctx: S3Context,
  key: string,
  name: string,
  file: FileHandle,
  etag: string | undefined,
): Promise<{ digest: Digest; size: number }> {
  const hash = createHash('sha256');
  let written = 0;
  await retrying(ctx, key, 'download', async () => {
    // A failed attempt may have left a partial chunk in flight: restart exactly at what the hash saw.
    await file.truncate(written);
    const res = await getObjectFrom(ctx, name, written, etag).catch(replacedWhileRead(key));
    await pipeline(
      res,
      writingAt(file, written, (chunk) => {
        hash.update(chunk);
        written += chunk.length;
      }),
    );
  });
  return { digest: `sha256:${hash.digest('hex')}`, size: written };
}

/**
 * Parallel ranged GETs into `file`, hashed in order behind them. The first range that fails for
 * good (its retries spent) stops the rest and is named in the error.
 */
async function downloadRanges(
  ctx: S3Context,
  key: string,
  name: string,
  target: { file: FileHandle; path: string },
  ranges: ByteRange[],
  etag: string,
): Promise<{ digest: Digest; size: number }> {
  const hasher = new InOrderHasher(target.path, ranges);
  const hashed = hasher.run();
  try {
    await mapLimit(ranges, ctx.concurrency, async (range) => {
      await downloadRange(ctx, key, name, target.file, range, etag, ranges.length);
      hasher.completed(range.index);
    });
  } catch (error) {
    hasher.abandon();
    await hashed.catch(() => undefined);
    throw error;
  }
  const size = ranges.reduce((sum, r) => sum + r.size, 0);
  return { digest: await hashed, size };
}

/** One range to its offset; a lost connection resumes the range where it stopped. */
async function downloadRange(
  ctx: S3Context,
  key: string,
  name: string,
  file: FileHandle,
  range: ByteRange,
  etag: string,
  count: number,
): Promise<void> {
  const end = range.start + range.size - 1;
  let written = 0;
  try {
    await retrying(ctx, key, 'download', async () => {
      const res: IncomingMessage = await getObjectRange(ctx, name, range.start + written, end, etag).catch(
        replacedWhileRead(key),
      );
      // Positional writes: bytes a failed attempt left half-written are simply written again.
      await pipeline(
        res,
        writingAt(file, range.start + written, (chunk) => (written += chunk.length), MiB / 4),
      );
      if (written !== range.size)
        throw new ArtifactIoError(key, 'download', written < range.size, {
          cause: new Error(`the response ended after ${written} of the range's ${range.size} bytes`),
        });
    });
  } catch (error) {
    if (error instanceof ArtifactNotFoundError) throw error;
    const cause = error instanceof Error ? error : new Error(String(error));
    throw new ArtifactIoError(key, 'download', error instanceof ArtifactError && error.retryable, {
      cause: new Error(
        `range ${range.index + 1} of ${count} (bytes ${range.start}-${end}) could not be read: ${cause.message}`,
        { cause },
      ),
    });
  }
}

/**
 * The whole file's sha256, taken range by range in order as each one is complete on disk, in a
 * worker thread: hashing a GiB costs seconds of CPU, which would otherwise hold up the event loop
 * that is receiving the ranges. Memory: one read buffer in the worker, whatever the file size.
 */
class InOrderHasher {
  private readonly worker: Worker;
  private readonly digest: Promise<Digest>;

  constructor(path: string, ranges: ByteRange[]) {
    this.worker = new Worker(hasherSource, {
      eval: true,
      workerData: { path, ranges: ranges.map((r) => [r.start, r.size]) },
      // It holds one read buffer and a hash: a small heap keeps the thread's memory small.
      resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 },
    });
    this.digest = new Promise<Digest>((resolve, reject) => {
      this.worker.once('message', (hex: string) => resolve(`sha256:${hex}`));
      this.worker.once('error', reject);
      this.worker.once('exit', (code) => reject(new Error(`the hashing thread exited (${code}) before the digest`)));
    });
    this.digest.catch(() => undefined);
  }

  /** Range `index` is on disk. */
  completed(index: number): void {
    this.worker.postMessage(index);
  }

  /** The download failed: stop hashing. */
  abandon(): void {
    void this.worker.terminate();
  }

  run(): Promise<Digest> {
    return this.digest.finally(() => void this.worker.terminate());
  }
}

/** The hashing thread: reads each range once told it is complete, in order, and posts the hex digest. */
const hasherSource = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { openSync, readSync, closeSync } = require('node:fs');
const hash = createHash('sha256');
const done = new Set();
const buffer = Buffer.allocUnsafe(${MiB});
const fd = openSync(workerData.path, 'r');
let next = 0;
parentPort.on('message', (index) => {
  done.add(index);
  while (done.has(next)) {
    const [start, size] = workerData.ranges[next];
    for (let at = start, end = start + size; at < end; ) {
      const n = readSync(fd, buffer, 0, Math.min(buffer.length, end - at), at);
      if (n === 0) throw new Error('the file ended at byte ' + at + ' before its range did');
      hash.update(buffer.subarray(0, n));
      at += n;
    }
    next++;
  }
  if (next === workerData.ranges.length) {
    closeSync(fd);
    parentPort.postMessage(hash.digest('hex'));
    parentPort.close();
  }
});
`;

/**
 * A Writable at `start` of a file handle that reports each chunk only once it is on disk. Its buffer
 * (`highWaterMark`) is per stream: ranged reads keep several open at once.
 */
function writingAt(file: FileHandle, start: number, onWritten: (chunk: Buffer) => void, highWaterMark = MiB): Writable {
  let position = start;
  return new Writable({
    highWaterMark,
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
