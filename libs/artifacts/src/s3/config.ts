/**
 * Where an `s3://` store lives and how to reach it. The URL names the bucket and prefix; the
 * endpoint, credentials, region and TLS come from an options object or the environment
 * (`KILN_S3_*`, falling back to the usual `AWS_*` names), so a child process or a pod that only
 * gets the store URL opens the same store. Every value is validated with zod, and a bad one is
 * reported by the name the user wrote it under.
 */
import { z } from 'zod';
import { StoreConfigError } from '../errors';
import { DEFAULT_RETRY, type RetryPolicy } from './retry';

const MiB = 1024 * 1024;

/** Settings of an `s3://` store; each may also come from the environment (see {@link resolveS3Config}). */
export interface S3StoreOptions {
  /** `http(s)://host[:port]` of the S3 API (MinIO, Ceph, R2...). Default: AWS S3 for the region. */
  endpoint?: string;
  accessKey?: string;
  secretKey?: string;
  sessionToken?: string;
  /** Default `us-east-1` (what MinIO expects unless configured otherwise). */
  region?: string;
  /** Default: from the endpoint's scheme, `true` without an endpoint. */
  useSSL?: boolean;
  /** Path-style requests (`host/bucket/key`). Default: `true` with a custom endpoint, `false` for AWS. */
  pathStyle?: boolean;
  /**
   * Multipart part size in bytes (5 MiB – 5 GiB). Bounds the memory of a streamed `put`; also the smallest
   * ranged GET of a download (a big object is read in ranges of up to 64 MiB). Default 16 MiB.
   */
  partSize?: number;
  /** Parts (and directory files) uploaded or downloaded at once. Default 4. */
  concurrency?: number;
  /** How long transient failures (network, 5xx, SlowDown) are retried. */
  retry?: Partial<RetryPolicy>;
}

/** A validated configuration: what the store and its client are built from. */
export interface S3Config {
  url: string;
  bucket: string;
  /** Object-name prefix without leading or trailing `/`; `''` for the bucket's root. */
  prefix: string;
  endPoint: string;
  port: number | undefined;
  useSSL: boolean;
  pathStyle: boolean;
  accessKey: string;
  secretKey: string;
  sessionToken: string | undefined;
  region: string;
  partSize: number;
  concurrency: number;
  retry: RetryPolicy;
}

const boolText = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => ['true', 'false', '1', '0', 'yes', 'no'].includes(v), 'must be true or false')
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const schema = z.object({
  endpoint: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .refine((v) => /^https?:\/\/[^/?#]+\/?$/.test(v), 'must be http(s)://host[:port], without a path')
    .optional(),
  accessKey: z.string({ error: 'is required (the access key id)' }).min(1, 'is required (the access key id)'),
  secretKey: z.string({ error: 'is required (the secret access key)' }).min(1, 'is required (the secret access key)'),
  sessionToken: z.string().min(1).optional(),
  region: z.string().trim().min(1, 'must not be empty').default('us-east-1'),
  useSSL: z.union([z.boolean(), boolText], { error: 'must be true or false' }).optional(),
  pathStyle: z.union([z.boolean(), boolText], { error: 'must be true or false' }).optional(),
  partSize: z
    .number({ error: 'must be a number of bytes' })
    .int('must be a whole number of bytes')
    .min(5 * MiB, 'must be at least 5 MiB (an S3 limit)')
    .max(5 * 1024 * MiB, 'must be at most 5 GiB (an S3 limit)')
    .default(16 * MiB),
  concurrency: z.number().int().min(1, 'must be at least 1').max(64, 'must be at most 64').default(4),
  retry: z
    .object({
      budgetMs: z.number().int().min(0).optional(),
      initialDelayMs: z.number().int().min(1).optional(),
      maxDelayMs: z.number().int().min(1).optional(),
    })
    .optional(),
});

type Field = keyof z.input<typeof schema>;

/** Environment variables per setting, first match wins. */
const envNames: Partial<Record<Field, string[]>> = {
  endpoint: ['KILN_S3_ENDPOINT', 'AWS_ENDPOINT_URL_S3', 'AWS_ENDPOINT_URL'],
  accessKey: ['KILN_S3_ACCESS_KEY', 'AWS_ACCESS_KEY_ID'],
  secretKey: ['KILN_S3_SECRET_KEY', 'AWS_SECRET_ACCESS_KEY'],
  sessionToken: ['KILN_S3_SESSION_TOKEN', 'AWS_SESSION_TOKEN'],
  region: ['KILN_S3_REGION', 'AWS_REGION', 'AWS_DEFAULT_REGION'],
  useSSL: ['KILN_S3_USE_SSL'],
  pathStyle: ['KILN_S3_PATH_STYLE'],
};

/**
 * Splits `s3://bucket/prefix` into bucket and prefix.
 *
 * @example
 * ```ts
 * parseS3Url('s3://ml/kiln/') // { bucket: 'ml', prefix: 'kiln', url: 's3://ml/kiln' }
 * ```
 */
export function parseS3Url(url: string): { bucket: string; prefix: string; url: string } {
  const match = /^s3:\/\/([^/?#]+)\/*([^?#]*)$/.exec(url);
  if (!match) throw new StoreConfigError(url, 'the URL', 'must look like s3://bucket or s3://bucket/prefix');
  const bucket = match[1] as string;
  // S3 bucket naming rules, also what MinIO enforces.
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket) || bucket.includes('..')) {
    throw new StoreConfigError(url, 'the bucket name', `${JSON.stringify(bucket)} is not a valid S3 bucket name`);
  }
  const prefix = (match[2] as string).replace(/\/+$/, '');
  if (prefix.split('/').some((s) => s === '' || s === '.' || s === '..') && prefix !== '') {
    throw new StoreConfigError(url, 'the prefix', 'must not have empty, "." or ".." segments');
  }
  return { bucket, prefix, url: prefix === '' ? `s3://${bucket}` : `s3://${bucket}/${prefix}` };
}

/**
 * Validates the settings of an `s3://` store: `options` first, then the environment.
 * Throws {@link StoreConfigError} naming the setting (e.g. `KILN_S3_SECRET_KEY (or AWS_SECRET_ACCESS_KEY)`).
 *
 * @example
 * ```ts
 * const config = resolveS3Config('s3://kiln/prod', {}, {
 *   KILN_S3_ENDPOINT: 'http://127.0.0.1:9000', KILN_S3_ACCESS_KEY: 'minio', KILN_S3_SECRET_KEY: 'minio123',
 * });
 * config.useSSL; // false, from the endpoint's scheme
 * ```
 */
export function resolveS3Config(
  url: string,
  options: S3StoreOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): S3Config {
  const location = parseS3Url(url);
  const raw: Record<string, unknown> = {};
  const source: Partial<Record<Field, string>> = {};
  for (const field of Object.keys(schema.shape) as Field[]) {
    if (options[field] !== undefined) {
      raw[field] = options[field];
      source[field] = `options.${field}`;
      continue;
    }
    const names = envNames[field] ?? [];
    const name = names.find((n) => env[n] !== undefined && env[n] !== '');
    if (name) {
      raw[field] = env[name];
      source[field] = name;
    } else if (names.length > 0) {
      source[field] = names.length > 1 ? `${names[0]} (or ${names.slice(1).join(', ')})` : (names[0] as string);
    } else {
      source[field] = `options.${field}`;
    }
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0] as z.core.$ZodIssue;
    const field = issue.path[0] as Field;
    const where =
      issue.path.length > 1 ? `${source[field]}.${issue.path.slice(1).join('.')}` : (source[field] ?? String(field));
    throw new StoreConfigError(location.url, where, issue.message, { cause: parsed.error });
  }
  const value = parsed.data;
  const endpoint = value.endpoint ? new URL(value.endpoint) : undefined;
  const useSSL = value.useSSL ?? (endpoint ? endpoint.protocol === 'https:' : true);
  return {
    ...location,
    endPoint: endpoint ? endpoint.hostname.replace(/^\[(.*)\]$/, '$1') : 's3.amazonaws.com',
    port: endpoint?.port ? Number(endpoint.port) : undefined,
    useSSL,
    pathStyle: value.pathStyle ?? endpoint !== undefined,
    accessKey: value.accessKey,
    secretKey: value.secretKey,
    sessionToken: value.sessionToken,
    region: value.region,
    partSize: value.partSize,
    concurrency: value.concurrency,
    retry: { ...DEFAULT_RETRY, ...stripUndefined(value.retry ?? {}) },
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
