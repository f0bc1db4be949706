/**
 * What only the s3:// backend has: settings from options and the environment, S3 error codes
 * mapped to typed errors, digests in object metadata, multipart uploads, and retries. Against
 * the real MinIO of tools/testenv (and, for an unreachable endpoint, a closed port).
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ArtifactExistsError,
  ArtifactIoError,
  BucketNotFoundError,
  S3ArtifactStore,
  StoreAccessDeniedError,
  StoreConfigError,
  digestFile,
  resolveS3Config,
} from '../src';
import { minioClient, minioOptions, testMinio } from './support/backends';

jest.setTimeout(60_000);

const MiB = 1024 * 1024;
const minio = testMinio();
let prefix: string;
let dir: string;
let store: S3ArtifactStore;

beforeEach(async () => {
  prefix = `s3-tests/${randomUUID()}`;
  dir = await mkdtemp(join(tmpdir(), 'kiln-s3-'));
  store = new S3ArtifactStore(`s3://${minio.bucket}/${prefix}`, minioOptions(minio, { partSize: 5 * MiB }));
});
afterEach(async () => {
  const client = minioClient(minio);
  const names: string[] = [];
  for await (const item of client.listObjectsV2(minio.bucket, `${prefix}/`, true))
    names.push((item as { name: string }).name);
  if (names.length > 0) await client.removeObjects(minio.bucket, names);
  await rm(dir, { recursive: true, force: true });
});

/** A file of `size` bytes that differs in every MiB. */
async function makeFile(path: string, size: number): Promise<void> {
  const block = Buffer.alloc(Math.min(size, MiB));
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < size; offset += block.length) {
    block.fill(offset / MiB);
    block.writeUInt32LE(offset / MiB, 0);
    chunks.push(Buffer.from(block.subarray(0, Math.min(block.length, size - offset))));
  }
  await writeFile(path, Buffer.concat(chunks));
}

describe('settings', () => {
  const env = { KILN_S3_ENDPOINT: 'http://127.0.0.1:9000', KILN_S3_ACCESS_KEY: 'ak', KILN_S3_SECRET_KEY: 'sk' };

  test('come from KILN_S3_* variables; TLS follows the endpoint scheme; the URL gives bucket and prefix', () => {
    const config = resolveS3Config('s3://ml-data/team/kiln/', {}, env);
    expect(config).toMatchObject({
      bucket: 'ml-data',
      prefix: 'team/kiln',
      url: 's3://ml-data/team/kiln',
      endPoint: '127.0.0.1',
      port: 9000,
    });
    expect(config).toMatchObject({
      useSSL: false,
      pathStyle: true,
      region: 'us-east-1',
      accessKey: 'ak',
      secretKey: 'sk',
    });
    expect(
      resolveS3Config(
        's3://bk1',
        {},
        { ...env, KILN_S3_ENDPOINT: 'https://minio.example:443', KILN_S3_REGION: 'eu-west-1' },
      ),
    ).toMatchObject({
      useSSL: true,
      region: 'eu-west-1',
      prefix: '',
    });
  });

  test('fall back to AWS_* variables, and options override the environment', () => {
    const aws = { AWS_ACCESS_KEY_ID: 'id', AWS_SECRET_ACCESS_KEY: 'secret', AWS_REGION: 'us-west-2' };
    expect(resolveS3Config('s3://bk1', {}, aws)).toMatchObject({
      accessKey: 'id',
      endPoint: 's3.amazonaws.com',
      useSSL: true,
      pathStyle: false,
      region: 'us-west-2',
    });
    expect(
      resolveS3Config('s3://bk1', { accessKey: 'mine', useSSL: false }, { ...aws, KILN_S3_USE_SSL: 'true' }),
    ).toMatchObject({ accessKey: 'mine', useSSL: false });
  });

  test.each([
    [{ KILN_S3_ACCESS_KEY: 'ak' }, {}, /KILN_S3_SECRET_KEY \(or AWS_SECRET_ACCESS_KEY\) is required/],
    [{ ...env, KILN_S3_USE_SSL: 'maybe' }, {}, /KILN_S3_USE_SSL must be true or false/],
    [{ ...env, KILN_S3_ENDPOINT: 'minio:9000/path' }, {}, /KILN_S3_ENDPOINT must be http\(s\):\/\/host\[:port\]/],
    [env, { partSize: 1024 }, /options\.partSize must be at least 5 MiB/],
  ])('a bad setting is a StoreConfigError naming it (%#)', (variables, options, message) => {
    const error = (() => {
      try {
        resolveS3Config('s3://bk1/p', options, variables);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(StoreConfigError);
    expect(error).toMatchObject({ code: 'store-config', retryable: false });
    expect((error as Error).message).toMatch(message);
  });

  test('a malformed URL or bucket name is refused', () => {
    expect(() => resolveS3Config('s3://', {}, env)).toThrow(StoreConfigError);
    expect(() => resolveS3Config('s3://Bad_Bucket/x', {}, env)).toThrow(/not a valid S3 bucket name/);
    expect(() => resolveS3Config('s3://bucket/a//b', {}, env)).toThrow(/prefix/);
  });
});

describe('typed errors', () => {
  test('a missing bucket is BucketNotFoundError, not retryable, for reads and writes', async () => {
    const missing = new S3ArtifactStore(`s3://kiln-no-such-bucket-${Date.now()}`, minioOptions(minio));
    await expect(missing.put('a.txt', 'x')).rejects.toMatchObject({
      name: 'BucketNotFoundError',
      code: 'bucket-not-found',
      retryable: false,
    });
    await expect(missing.stat('a.txt')).rejects.toBeInstanceOf(BucketNotFoundError);
    await expect(missing.exists('a.txt')).rejects.toBeInstanceOf(BucketNotFoundError);
  });

  test.each([
    ['a wrong secret', { secretKey: 'wrong-secret' }, /SignatureDoesNotMatch|AccessDenied/],
    ['an unknown access key', { accessKey: 'nobody', secretKey: 'nobody-secret' }, /InvalidAccessKeyId|AccessDenied/],
  ])('%s is StoreAccessDeniedError, not retryable', async (_name, credentials, s3Code) => {
    const denied = new S3ArtifactStore(`s3://${minio.bucket}/${prefix}`, { ...minioOptions(minio), ...credentials });
    const error = await denied.put('a.txt', 'x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreAccessDeniedError);
    expect(error).toMatchObject({ code: 'access-denied', retryable: false });
    expect((error as StoreAccessDeniedError).s3Code).toMatch(s3Code);
    await expect(denied.stat('a.txt')).rejects.toBeInstanceOf(StoreAccessDeniedError);
  });

  test('an unreachable endpoint is retried, then a retryable ArtifactIoError', async () => {
    const port = await closedPort();
    const down = new S3ArtifactStore('s3://kiln-test/x', {
      ...minioOptions(minio),
      endpoint: `http://127.0.0.1:${port}`,
      retry: { budgetMs: 600, initialDelayMs: 50 },
    });
    const error = await down.put('a.txt', 'x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArtifactIoError);
    expect(error).toMatchObject({ retryable: true });
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
  });
});

describe('objects in the bucket', () => {
  test('the digest, creation time and metadata are S3 user metadata on the object', async () => {
    const stat = await store.put('runs/r/out.txt', 'hello', { metadata: { accuracy: 0.9, tags: ['a'] } });
    const head = await minioClient(minio).statObject(minio.bucket, `${prefix}/runs/r/out.txt`);
    expect(head.metaData['kiln-sha256']).toBe(stat.digest);
    expect(head.metaData['kiln-created']).toBe(stat.createdAt);
    expect(JSON.parse(decodeURIComponent(head.metaData['kiln-metadata'] as string))).toEqual({
      accuracy: 0.9,
      tags: ['a'],
    });
  });

  test('metadata too large for object headers is kept beside the object and still returned by stat', async () => {
    const metadata = {
      confusionMatrix: Array.from({ length: 40 }, (_, i) => Array.from({ length: 40 }, (_, j) => i * j)),
    };
    await store.put('m.json', '{}', { metadata });
    expect((await store.stat('m.json')).metadata).toEqual(metadata);
    await store.delete('m.json');
    const left: string[] = [];
    for await (const item of minioClient(minio).listObjectsV2(minio.bucket, `${prefix}/`, true))
      left.push((item as { name: string }).name);
    expect(left).toEqual([]);
  });

  test('a file larger than a part is uploaded in parts, streamed from disk, and downloads with the same digest', async () => {
    const source = join(dir, 'big.bin');
    await makeFile(source, 23 * MiB + 17);
    const local = await digestFile(source);
    const stat = await store.putPath('big.bin', source);
    expect(stat).toMatchObject({ size: local.size, digest: local.digest });
    const head = await minioClient(minio).statObject(minio.bucket, `${prefix}/big.bin`);
    expect(head.etag).toMatch(/-5$/); // five 5 MiB parts: a multipart upload
    await store.getToPath('big.bin', join(dir, 'copy.bin'));
    expect((await digestFile(join(dir, 'copy.bin'))).digest).toBe(local.digest);
  });

  test('of racing multipart creators exactly one wins', async () => {
    const source = join(dir, 'big.bin');
    await makeFile(source, 12 * MiB);
    const results = await Promise.allSettled(
      Array.from({ length: 4 }, () => store.putPath('once.bin', source, { ifAbsent: true })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected' && r.reason instanceof ArtifactExistsError)).toHaveLength(3);
  });

  test('a directory written over a file replaces it, and a file written over a directory replaces that', async () => {
    await mkdir(join(dir, 'tree', 'sub'), { recursive: true });
    await writeFile(join(dir, 'tree', 'a.txt'), 'A');
    await writeFile(join(dir, 'tree', 'sub', 'b.txt'), 'B');
    await store.put('x', 'a file');
    expect((await store.putPath('x', join(dir, 'tree'))).kind).toBe('directory');
    expect(await collect(store.list('x'))).toEqual(['x/a.txt', 'x/sub/b.txt']);
    expect((await store.put('x', 'a file again')).kind).toBe('file');
    expect(await store.stat('x')).toMatchObject({ kind: 'file', size: 12 });
    expect(await collect(store.list('x'))).toEqual(['x']);
  });

  test('a directory rewritten with fewer files keeps only the new ones', async () => {
    await mkdir(join(dir, 'v1'), { recursive: true });
    await writeFile(join(dir, 'v1', 'a.txt'), 'A');
    await writeFile(join(dir, 'v1', 'old.txt'), 'O');
    await store.putPath('d', join(dir, 'v1'));
    await rm(join(dir, 'v1', 'old.txt'));
    await store.putPath('d', join(dir, 'v1'));
    expect(await collect(store.list('d/'))).toEqual(['d/a.txt']);
    await store.getToPath('d', join(dir, 'out'));
    expect(await readFile(join(dir, 'out', 'a.txt'), 'utf8')).toBe('A');
  });

  test('objects written one by one under a prefix read as a directory, as folders do on file://', async () => {
    await store.put('loose/a.txt', 'A');
    await store.put('loose/b/c.txt', 'C');
    expect(await store.stat('loose')).toMatchObject({ kind: 'directory', size: 2 });
    await store.getToPath('loose', join(dir, 'loose'));
    expect(await readFile(join(dir, 'loose', 'b', 'c.txt'), 'utf8')).toBe('C');
  });
});

async function collect(iterable: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
