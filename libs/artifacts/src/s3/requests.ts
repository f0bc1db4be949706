/**
 * The few S3 requests the store makes itself rather than through the `minio` client's high-level
 * calls, which buffer whole parts in memory, resume *any* pending multipart upload of the same
 * name (two racing writers would share one), and cannot send `If-None-Match` on
 * CompleteMultipartUpload. Signing, endpoints and XML errors still come from the client.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { Client } from 'minio';

/** A client bound to one bucket. */
export interface Bucket {
  client: Client;
  bucket: string;
  region: string;
}

/**
 * A request body that can be produced again, so a failed request can be retried. A stream body
 * needs its sha256 up front on plain HTTP (it is part of the signature, and the server checks the
 * bytes against it); over TLS the payload is unsigned and `md5` lets the server check it.
 */
export interface Payload {
  open(): Readable | Buffer;
  size: number;
  sha256?: string;
  md5?: string;
}

/** Headers sent with a request; values are strings or numbers. */
export type Headers = Record<string, string | number>;

/** A payload from bytes in memory. */
export function bufferPayload(bytes: Buffer): Payload {
  return {
    open: () => bytes,
    size: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    md5: createHash('md5').update(bytes).digest('base64'),
  };
}

interface RequestSpec {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE' | 'HEAD';
  name: string;
  query?: string;
  headers?: Headers;
  payload?: Payload;
  expect?: number[];
}

/** Sends one signed request; the response body is the caller's to read or drain. */
export async function send(b: Bucket, spec: RequestSpec): Promise<IncomingMessage> {
  const headers: Headers = { ...spec.headers };
  const payload = spec.payload ?? bufferPayload(Buffer.alloc(0));
  if (spec.method === 'PUT' || spec.method === 'POST') headers['Content-Length'] = payload.size;
  const signed = b.client.enableSHA256;
  if (!signed && payload.md5) headers['Content-MD5'] = payload.md5;
  if (signed && !payload.sha256) throw new Error('BUG: a plain-HTTP request body needs its sha256 up front');
  return b.client.makeRequestStreamAsync(
    {
      method: spec.method,
      bucketName: b.bucket,
      objectName: spec.name,
      ...(spec.query ? { query: spec.query } : {}),
      headers,
    },
    payload.open(),
    signed ? (payload.sha256 as string) : '',
    spec.expect ?? [200],
    b.region,
  );
}

export async function readText(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function drain(res: IncomingMessage): Promise<void> {
  for await (const _ of res) {
    // discard
  }
}

function etagOf(res: IncomingMessage, body = ''): string {
  const header = res.headers.etag ?? /<ETag>([^<]*)<\/ETag>/.exec(body)?.[1] ?? '';
  return header.replace(/&quot;|&#34;|"/g, '');
}

/** An S3 error document inside a 200 response (CompleteMultipartUpload, UploadPartCopy do this). */
function embeddedError(body: string): Error | undefined {
  if (!/<Error>/.test(body)) return undefined;
  const code = /<Code>([^<]*)<\/Code>/.exec(body)?.[1] ?? 'InternalError';
  const message = /<Message>([^<]*)<\/Message>/.exec(body)?.[1] ?? 'error in a 200 response';
  return Object.assign(new Error(message), { code });
}

/** PutObject; returns the ETag. */
export async function putObject(b: Bucket, name: string, payload: Payload, headers: Headers): Promise<string> {
  const res = await send(b, { method: 'PUT', name, payload, headers });
  await drain(res);
  return etagOf(res);
}

/** CreateMultipartUpload; `headers` carry the object's metadata. Returns the upload id. */
export async function createMultipart(b: Bucket, name: string, headers: Headers): Promise<string> {
  const body = await readText(await send(b, { method: 'POST', name, query: 'uploads', headers }));
  const id = /<UploadId>([^<]+)<\/UploadId>/.exec(body)?.[1];
  if (!id) throw new Error(`CreateMultipartUpload returned no UploadId: ${body.slice(0, 200)}`);
  return id;
}

export async function uploadPart(
  b: Bucket,
  name: string,
  uploadId: string,
  partNumber: number,
  payload: Payload,
): Promise<string> {
  const res = await send(b, {
    method: 'PUT',
    name,
    query: `partNumber=${partNumber}&uploadId=${encodeURIComponent(uploadId)}`,
    payload,
  });
  await drain(res);
  return etagOf(res);
}

/** UploadPartCopy of `range` (inclusive byte offsets) of `source` in the same bucket. */
export async function uploadPartCopy(
  b: Bucket,
  name: string,
  uploadId: string,
  partNumber: number,
  source: string,
  range: [number, number],
): Promise<string> {
  const res = await send(b, {
    method: 'PUT',
    name,
    query: `partNumber=${partNumber}&uploadId=${encodeURIComponent(uploadId)}`,
    headers: {
      'x-amz-copy-source': `/${b.bucket}/${source.split('/').map(encodeURIComponent).join('/')}`,
      'x-amz-copy-source-range': `bytes=${range[0]}-${range[1]}`,
    },
  });
  const body = await readText(res);
  const error = embeddedError(body);
  if (error) throw error;
  return etagOf(res, body);
}

/**
 * CompleteMultipartUpload. With `ifNoneMatch` the object only appears if the name is free
 * (`PreconditionFailed` otherwise): AWS S3 and MinIO both honour `If-None-Match: *` here.
 */
export async function completeMultipart(
  b: Bucket,
  name: string,
  uploadId: string,
  etags: readonly string[],
  ifNoneMatch: boolean,
): Promise<string> {
  const parts = etags.map((etag, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>"${etag}"</ETag></Part>`).join('');
  const xml = Buffer.from(
    `<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${parts}</CompleteMultipartUpload>`,
  );
  const res = await send(b, {
    method: 'POST',
    name,
    query: `uploadId=${encodeURIComponent(uploadId)}`,
    payload: bufferPayload(xml),
    headers: ifNoneMatch ? { 'If-None-Match': '*' } : {},
  });
  const body = await readText(res);
  const error = embeddedError(body);
  if (error) throw error;
  return etagOf(res, body);
}

export async function abortMultipart(b: Bucket, name: string, uploadId: string): Promise<void> {
  await drain(
    await send(b, {
      method: 'DELETE',
      name,
      query: `uploadId=${encodeURIComponent(uploadId)}`,
      expect: [204, 200, 404],
    }),
  );
}

/** GetObject from `offset` on; with `etag`, fails (`PreconditionFailed`) if the object was replaced meanwhile. */
export async function getObjectFrom(b: Bucket, name: string, offset: number, etag?: string): Promise<IncomingMessage> {
  const headers: Headers = {};
  if (offset > 0) headers['Range'] = `bytes=${offset}-`;
  if (etag) headers['If-Match'] = `"${etag}"`;
  return send(b, { method: 'GET', name, headers, expect: offset > 0 ? [206] : [200] });
}

/**
 * GetObject of the bytes `start` to `end` (inclusive); with `etag`, fails (`PreconditionFailed`)
 * if the object was replaced meanwhile, so ranges read in parallel all come from one version.
 */
export async function getObjectRange(
  b: Bucket,
  name: string,
  start: number,
  end: number,
  etag?: string,
): Promise<IncomingMessage> {
  const headers: Headers = { Range: `bytes=${start}-${end}` };
  if (etag) headers['If-Match'] = `"${etag}"`;
  return send(b, { method: 'GET', name, headers, expect: [206] });
}
