/**
 * Writing objects: a local file (one hashing pass, then parts streamed from disk, several at
 * once), bytes in memory (one PUT), or a stream of unknown length (parts buffered one at a time,
 * to a temporary object that is then copied server-side under its final name, because S3 takes
 * the metadata, and so the digest, when an upload starts).
 *
 * Atomic create is `If-None-Match: *` on the request that makes the object visible (PutObject or
 * CompleteMultipartUpload); AWS S3 and MinIO both honour it there, though MinIO ignores it on
 * CopyObject, which is why streamed bodies are copied with UploadPartCopy. A retry of a
 * conditional write whose first answer was lost may be refused by its own success; the write id
 * in the object's metadata tells the two apart.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Digest } from '../digest';
import { ArtifactExistsError } from '../errors';
import { retrying, type S3Context } from './context';
import { filePartPayload, partSizeFor, planFile } from './file-parts';
import { readRecord } from './object-metadata';
import { mapLimit } from './pool';
import {
  abortMultipart,
  bufferPayload,
  completeMultipart,
  createMultipart,
  putObject,
  uploadPart,
  uploadPartCopy,
  type Headers,
  type Payload,
} from './requests';

/** Where and how an object is written. */
export interface ObjectWrite {
  /** The store key (for errors). */
  key: string;
  /** The full object name in the bucket. */
  name: string;
  ifAbsent: boolean;
  /** Also recorded in the headers (see `recordHeaders`). */
  writeId: string;
}

export interface Written {
  digest: Digest;
  size: number;
}

/** S3's largest part (also the largest single UploadPartCopy range). */
const MAX_PART = 5 * 1024 * 1024 * 1024;

/**
 * Uploads a local file; `headersFor` gets the digest and returns the object's headers.
 *
 * @example
 * ```ts
 * await uploadFile(ctx, { key, name, ifAbsent: false, writeId }, '/tmp/model.bin', (digest) => recordHeaders({ digest, ... }));
 * ```
 */
export async function uploadFile(
  ctx: S3Context,
  write: ObjectWrite,
  path: string,
  headersFor: (digest: Digest) => Headers,
): Promise<Written> {
  const signed = ctx.client.enableSHA256;
  const plan = await planFile(path, ctx.partSize, { sha256: signed, md5: !signed });
  const headers = headersFor(plan.digest);
  const payloads = plan.parts.map((part) => filePartPayload(path, part));
  if (payloads.length === 1) await putOne(ctx, write, payloads[0] as Payload, headers);
  else await multipart(ctx, write, headers, payloads.length, (i) => payloads[i] as Payload);
  return { digest: plan.digest, size: plan.size };
}

/** Uploads bytes held in memory with one PUT. */
export async function uploadBytes(
  ctx: S3Context,
  write: ObjectWrite,
  bytes: Buffer,
  headersFor: (digest: Digest) => Headers,
): Promise<Written> {
  const payload = bufferPayload(bytes);
  const digest: Digest = `sha256:${payload.sha256 as string}`;
  await putOne(ctx, write, payload, headersFor(digest));
  return { digest, size: bytes.length };
}

/**
 * Uploads a stream, holding at most about one part in memory. A stream that ends within the
 * first part is one PUT; a longer one goes to `tempName` and is copied server-side.
 */
export async function uploadStream(
  ctx: S3Context,
  write: ObjectWrite,
  body: Readable,
  tempName: string,
  headersFor: (digest: Digest) => Headers,
): Promise<Written> {
  const hash = createHash('sha256');
  let size = 0;
  let pending: Buffer[] = [];
  let pendingSize = 0;
  const iterator = body[Symbol.asyncIterator]();
  // Reads until a full part is buffered or the stream ends; returns the part, or undefined at the end.
  const nextPart = async (): Promise<Buffer | undefined> => {
    while (pendingSize < ctx.partSize) {
      const { value, done } = (await iterator.next()) as IteratorResult<Buffer | string>;
      if (done) break;
      const chunk = typeof value === 'string' ? Buffer.from(value) : value;
      hash.update(chunk);
      size += chunk.length;
      pending.push(chunk);
      pendingSize += chunk.length;
    }
    if (pendingSize === 0) return undefined;
    const all = Buffer.concat(pending);
    const part = all.subarray(0, ctx.partSize);
    const rest = all.subarray(ctx.partSize);
    pending = rest.length > 0 ? [Buffer.from(rest)] : [];
    pendingSize = rest.length;
    return part;
  };

  const first = (await nextPart()) ?? Buffer.alloc(0);
  const second = await nextPart();
  if (second === undefined) return uploadBytes(ctx, write, first, headersFor);

  const temp: ObjectWrite = { key: write.key, name: tempName, ifAbsent: false, writeId: write.writeId };
  const uploadId = await retrying(ctx, write.key, 'put', () =>
    createMultipart(ctx, tempName, { 'Content-Type': 'application/octet-stream' }),
  );
  try {
    const etags: string[] = [];
    for (
      let part: Buffer | undefined = first;
      part !== undefined;
      part = etags.length === 1 ? second : await nextPart()
    ) {
      const payload = bufferPayload(part);
      etags.push(
        await retrying(ctx, write.key, 'put', () => uploadPart(ctx, tempName, uploadId, etags.length + 1, payload)),
      );
    }
    await retrying(ctx, write.key, 'put', () => completeMultipart(ctx, tempName, uploadId, etags, false));
  } catch (error) {
    await abortMultipart(ctx, tempName, uploadId).catch(() => undefined);
    throw error;
  }
  const digest: Digest = `sha256:${hash.digest('hex')}`;
  try {
    await copyObject(ctx, temp.name, size, write, headersFor(digest));
  } finally {
    await ctx.client.removeObject(ctx.bucket, tempName).catch(() => undefined);
  }
  return { digest, size };
}

/** Copies `source` (of `size` bytes) to `write.name` with new headers, via UploadPartCopy. */
async function copyObject(
  ctx: S3Context,
  source: string,
  size: number,
  write: ObjectWrite,
  headers: Headers,
): Promise<void> {
  const partSize = Math.min(MAX_PART, partSizeFor(size, 1024 * 1024 * 1024));
  const count = Math.ceil(size / partSize);
  await multipart(
    ctx,
    write,
    headers,
    count,
    undefined,
    (i) => [i * partSize, Math.min(size, (i + 1) * partSize) - 1],
    source,
  );
}

/** One PutObject, conditional if `write.ifAbsent`. */
async function putOne(ctx: S3Context, write: ObjectWrite, payload: Payload, headers: Headers): Promise<void> {
  const conditional = write.ifAbsent ? { ...headers, 'If-None-Match': '*' } : headers;
  await retrying(ctx, write.key, 'put', (attempt) =>
    putObject(ctx, write.name, payload, conditional).catch((error: unknown) =>
      resolveAmbiguous(ctx, write, attempt, error),
    ),
  );
}

/**
 * A multipart upload of `count` parts, each from `payloadAt(i)` or copied from `copySource` at
 * `rangeAt(i)`; aborted on failure so no parts are left behind.
 */
async function multipart(
  ctx: S3Context,
  write: ObjectWrite,
  headers: Headers,
  count: number,
  payloadAt?: (index: number) => Payload,
  rangeAt?: (index: number) => [number, number],
  copySource?: string,
): Promise<void> {
  const uploadId = await retrying(ctx, write.key, 'put', () => createMultipart(ctx, write.name, headers));
  try {
    const indexes = Array.from({ length: count }, (_, i) => i);
    const etags = await mapLimit(indexes, ctx.concurrency, (i) =>
      retrying(ctx, write.key, 'put', () =>
        copySource && rangeAt
          ? uploadPartCopy(ctx, write.name, uploadId, i + 1, copySource, rangeAt(i))
          : uploadPart(ctx, write.name, uploadId, i + 1, (payloadAt as (index: number) => Payload)(i)),
      ),
    );
    await retrying(ctx, write.key, 'put', (attempt) =>
      completeMultipart(ctx, write.name, uploadId, etags, write.ifAbsent).catch((error: unknown) =>
        resolveAmbiguous(ctx, write, attempt, error),
      ),
    );
  } catch (error) {
    await abortMultipart(ctx, write.name, uploadId).catch(() => undefined);
    throw error;
  }
}

/**
 * After a retry, "already exists" (or "no such upload", once the upload completed) may mean our
 * own earlier attempt landed: the object then carries our write id. Otherwise the error stands.
 */
async function resolveAmbiguous(ctx: S3Context, write: ObjectWrite, attempt: number, error: unknown): Promise<string> {
  const code = (error as { code?: unknown } | undefined)?.code;
  const ambiguous = attempt > 1 && (code === 'PreconditionFailed' || code === 'NoSuchUpload');
  if (ambiguous) {
    const head = await ctx.client.statObject(ctx.bucket, write.name).catch(() => undefined);
    if (head && readRecord(head.metaData).writeId === write.writeId) return head.etag;
  }
  if (code === 'PreconditionFailed') throw new ArtifactExistsError(write.key, { cause: error });
  throw error;
}

/** A fresh write id. */
export function newWriteId(): string {
  return randomUUID();
}
