/**
 * A small S3 client for the store's JSON records: GET one object, PUT one (optionally only if
 * absent), over node:http(s) with SigV4 signatures from `aws4`. It exists for a program whose
 * start is on every step's path (the in-pod launcher reads its request and writes its record
 * before and after the user's command): the `minio` client and its dependencies take tens of
 * milliseconds to load, this takes one. Settings, object names, recorded headers, error classes
 * and retries are the full store's (`resolveS3Config`, `s3ObjectName`, `recordHeaders`,
 * `fromS3Error`, `withRetry`), so a record it writes is one `S3ArtifactStore` reads as its own
 * and its errors read the same.
 */
import { createHash, randomUUID } from 'node:crypto';
import { request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
// aws4 is CommonJS: a named import fails under Node's ES modules (tsx), the default one works everywhere.
import aws4 from 'aws4';
import type { z } from 'zod';
import { ArtifactExistsError, ArtifactIoError, type ArtifactError } from '../errors';
import { validateKey } from '../keys';
import { parseRecord } from '../parse-record';
import type { RecordStore } from '../record-store';
import { resolveS3Config, type S3Config, type S3StoreOptions } from './config';
import { fromS3Error } from './errors';
import { s3ObjectName } from './object-name';
import { encodeMetadata, readRecord, recordHeaders } from './object-metadata';
import { withRetry } from './retry';

/** An S3 answer other than the one expected, with the error code from its XML body when it had one. */
class S3ResponseError extends Error {
  override readonly name = 'S3ResponseError';
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

interface Answer {
  status: number;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

/** RFC 3986 encoding of each path segment, as SigV4 signs it. */
function encodePath(name: string): string {
  return name
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
    )
    .join('/');
}

/**
 * What a refused request says: S3's error code (a HEAD has no body; its status says enough) and
 * its message, which the `minio` client also makes the error's message, so both stores read alike.
 */
function refusal(answer: Answer, what: string): S3ResponseError {
  const text = answer.body.toString('utf8');
  const code =
    /<Code>([^<]+)<\/Code>/.exec(text)?.[1] ??
    (answer.status === 404 ? 'NotFound' : answer.status === 403 ? 'AccessDenied' : undefined);
  const message = /<Message>([^<]+)<\/Message>/.exec(text)?.[1];
  return new S3ResponseError(answer.status, code, message ?? `HTTP ${answer.status} from ${what}`);
}

/**
 * The `s3://` half of {@link RecordStore}: reads and writes the store's JSON records with the
 * same settings (`KILN_S3_*` / `AWS_*`, or `options`) as `S3ArtifactStore`.
 *
 * @example
 * ```ts
 * const records = new S3RecordStore('s3://kiln/dev'); // endpoint and keys from KILN_S3_* / AWS_*
 * const request = await records.readJson('executions/e1/pod-request.json', stepLaunchRequestSchema);
 * await records.writeJson('executions/e1/executor-output.json', record, { ifAbsent: true });
 * ```
 */
export class S3RecordStore implements RecordStore {
  readonly url: string;
  readonly config: S3Config;
  /** `prefix/` or `''`: what object names start with. */
  private readonly base: string;

  constructor(url: string, options: S3StoreOptions = {}, env: NodeJS.ProcessEnv = process.env) {
    this.config = resolveS3Config(url, options, env);
    this.url = this.config.url;
    this.base = this.config.prefix === '' ? '' : `${this.config.prefix}/`;
  }

  uriFor(key: string): string {
    return `${this.url}/${validateKey(key)}`;
  }

  async readText(key: string): Promise<string> {
    const name = s3ObjectName(this.base, key);
    return this.retrying(key, 'read', async () => {
      const answer = await this.send('GET', name, {});
      if (answer.status !== 200) throw refusal(answer, `GET ${name}`);
      return answer.body.toString('utf8');
    });
  }

  async readJson<S extends z.ZodType>(key: string, schema: S): Promise<z.output<S>> {
    return parseRecord(key, await this.readText(key), schema);
  }

  /**
   * Writes `value` as the full store does (2-space JSON and a newline, its sha256 and write id in
   * the object's metadata); with `ifAbsent`, atomically (`If-None-Match: *`), throwing
   * `ArtifactExistsError` when the key is taken. Records are single objects, never directory
   * artifacts, so none of the full store's directory bookkeeping applies.
   */
  async writeJson(key: string, value: unknown, options: { ifAbsent?: boolean } = {}): Promise<void> {
    const name = s3ObjectName(this.base, key);
    const body = Buffer.from(`${JSON.stringify(value, null, 2)}\n`);
    const writeId = randomUUID();
    const digest = `sha256:${createHash('sha256').update(body).digest('hex')}` as const;
    const headers: OutgoingHttpHeaders = {
      ...recordHeaders({ digest, createdAt: new Date().toISOString(), writeId, metadata: encodeMetadata({}) }),
      ...(options.ifAbsent && { 'If-None-Match': '*' }),
    };
    await this.retrying(key, 'put', async (attempt) => {
      const answer = await this.send('PUT', name, headers, body);
      if (answer.status === 200) return;
      const error = refusal(answer, `PUT ${name}`);
      // A retry refused by its own earlier attempt, which landed although its answer was lost.
      if (error.code === 'PreconditionFailed' && attempt > 1 && (await this.writtenBy(name, writeId))) return;
      if (error.code === 'PreconditionFailed') throw new ArtifactExistsError(key, { cause: error });
      throw error;
    });
  }

  private async writtenBy(name: string, writeId: string): Promise<boolean> {
    const head = await this.send('HEAD', name, {}).catch(() => undefined);
    return head?.status === 200 && readRecord(head.headers).writeId === writeId;
  }

  private retrying<T>(key: string, operation: string, call: (attempt: number) => Promise<T>): Promise<T> {
    const classify = (error: unknown): ArtifactError =>
      // A 5xx without an S3 error code (a proxy's, or a server restarting) may pass; so may what S3 names transient.
      error instanceof S3ResponseError && error.code === undefined && error.status >= 500
        ? new ArtifactIoError(key, operation, true, { cause: error })
        : fromS3Error(error, { bucket: this.config.bucket, key, operation });
    return withRetry(this.config.retry, classify, call);
  }

  /** One signed request; resolves with the whole answer (records are small). */
  private send(
    method: 'GET' | 'PUT' | 'HEAD',
    name: string,
    headers: OutgoingHttpHeaders,
    body?: Buffer,
  ): Promise<Answer> {
    const c = this.config;
    // resolveS3Config strips an IPv6 address's brackets; the Host header needs them back.
    const hostname = c.endPoint.includes(':') ? `[${c.endPoint}]` : c.endPoint;
    const host = `${c.pathStyle ? '' : `${c.bucket}.`}${hostname}${c.port !== undefined ? `:${c.port}` : ''}`;
    const path = `/${c.pathStyle ? `${c.bucket}/` : ''}${encodePath(name)}`;
    const signed = aws4.sign(
      {
        service: 's3',
        region: c.region,
        method,
        host,
        path,
        headers: { ...headers, ...(body && { 'Content-Length': body.length }) },
        ...(body && { body }),
      },
      {
        accessKeyId: c.accessKey,
        secretAccessKey: c.secretKey,
        ...(c.sessionToken && { sessionToken: c.sessionToken }),
      },
    );
    const request = c.useSSL ? httpsRequest : httpRequest;
    return new Promise<Answer>((resolve, reject) => {
      const req = request(
        {
          method,
          host: c.pathStyle ? c.endPoint : `${c.bucket}.${c.endPoint}`,
          ...(c.port !== undefined && { port: c.port }),
          path,
          headers: signed.headers,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }
}
