/**
 * The light record store (`openRecordStore`, `S3RecordStore`): JSON records read and written
 * with the full store's settings, headers, errors and retries, against the real MinIO of
 * tools/testenv (and a file:// folder). Where a record goes one way, the full store checks it
 * the other.
 */
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import aws4 from 'aws4';
import { z } from 'zod';
import {
  ArtifactExistsError,
  ArtifactIoError,
  ArtifactNotFoundError,
  FileArtifactStore,
  S3ArtifactStore,
  StoreAccessDeniedError,
  StoreRecordError,
  UnsupportedStoreError,
  digestBytes,
  openStore,
} from '../src';
import { openRecordStore, S3RecordStore } from '../src/light';
import { minioClient, minioOptions, testMinio } from './support/backends';

jest.setTimeout(60_000);

const minio = testMinio();
const recordSchema = z.object({ step: z.string(), attempt: z.number().int() });
let prefix: string;
let url: string;

beforeEach(() => {
  prefix = `record-store-tests/${randomUUID()}`;
  url = `s3://${minio.bucket}/${prefix}`;
});
afterEach(async () => {
  const client = minioClient(minio);
  const names: string[] = [];
  for await (const item of client.listObjectsV2(minio.bucket, `${prefix}/`, true))
    names.push((item as { name: string }).name);
  if (names.length > 0) await client.removeObjects(minio.bucket, names);
});

/** The error `run` rejects with. */
async function failure(run: () => Promise<unknown>): Promise<Error> {
  try {
    await run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

describe('s3://', () => {
  test('a record written by the light client is the full store’s own: same text, digest, metadata', async () => {
    const light = new S3RecordStore(url, minioOptions(minio));
    const full = new S3ArtifactStore(url, minioOptions(minio));
    await light.writeJson('executions/e1/executor-output.json', { step: 'train', attempt: 1 });
    expect(await full.readJson('executions/e1/executor-output.json', recordSchema)).toEqual({
      step: 'train',
      attempt: 1,
    });
    const text = await full.readText('executions/e1/executor-output.json');
    expect(text).toBe(`${JSON.stringify({ step: 'train', attempt: 1 }, null, 2)}\n`);
    const stat = await full.stat('executions/e1/executor-output.json');
    expect(stat.digest).toBe(digestBytes(Buffer.from(text)));
    expect(stat.metadata).toEqual({});
    expect(light.uriFor('executions/e1/executor-output.json')).toBe(full.uriFor('executions/e1/executor-output.json'));
  });

  test('reads what the full store wrote, and checks it with the schema', async () => {
    const full = new S3ArtifactStore(url, minioOptions(minio));
    await full.writeJson('executions/e2/pod-request.json', { step: 'eval', attempt: 2 });
    await full.writeJson('executions/e2/bad.json', { step: 3 });
    const light = new S3RecordStore(url, minioOptions(minio));
    expect(await light.readJson('executions/e2/pod-request.json', recordSchema)).toEqual({ step: 'eval', attempt: 2 });
    const bad = await failure(() => light.readJson('executions/e2/bad.json', recordSchema));
    expect(bad).toBeInstanceOf(StoreRecordError);
    expect(bad.message).toBe((await failure(() => full.readJson('executions/e2/bad.json', recordSchema))).message);
  });

  test('a missing record names its key, as the full store does', async () => {
    const light = new S3RecordStore(url, minioOptions(minio));
    const full = new S3ArtifactStore(url, minioOptions(minio));
    const missing = await failure(() => light.readJson('executions/none/pod-request.json', recordSchema));
    expect(missing).toBeInstanceOf(ArtifactNotFoundError);
    expect(missing.message).toBe('artifact not found: executions/none/pod-request.json');
    expect(missing.message).toBe(
      (await failure(() => full.readJson('executions/none/pod-request.json', recordSchema))).message,
    );
  });

  test('ifAbsent creates once; a second create is ArtifactExistsError; a plain write overwrites', async () => {
    const light = new S3RecordStore(url, minioOptions(minio));
    await light.writeJson('executions/e3/executor-output.json', { step: 'a', attempt: 1 }, { ifAbsent: true });
    const taken = await failure(() =>
      light.writeJson('executions/e3/executor-output.json', { step: 'b', attempt: 1 }, { ifAbsent: true }),
    );
    expect(taken).toBeInstanceOf(ArtifactExistsError);
    expect(taken.message).toBe('artifact already exists: executions/e3/executor-output.json');
    await light.writeJson('executions/e3/executor-output.json', { step: 'c', attempt: 1 });
    expect(await light.readJson('executions/e3/executor-output.json', recordSchema)).toEqual({ step: 'c', attempt: 1 });
  });

  test('a wrong secret is refused (403) with the full store’s error, not retried', async () => {
    const wrong = minioOptions(minio, { secretKey: 'not-the-secret' });
    const light = new S3RecordStore(url, wrong);
    const full = new S3ArtifactStore(url, wrong);
    const started = Date.now();
    const read = await failure(() => light.readJson('executions/e4/pod-request.json', recordSchema));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(read).toBeInstanceOf(StoreAccessDeniedError);
    expect(read.message).toMatch(/^read executions\/e4\/pod-request.json was refused \(SignatureDoesNotMatch\)/);
    expect(read.message).toBe(
      (await failure(() => full.readJson('executions/e4/pod-request.json', recordSchema))).message,
    );
    const write = await failure(() => light.writeJson('executions/e4/launcher-failure.json', { step: 'x' }));
    expect(write).toBeInstanceOf(StoreAccessDeniedError);
    expect(write.message).toMatch(/^put executions\/e4\/launcher-failure.json was refused/);
  });

  test('temporary credentials: the session token is sent and signed (refused without it)', async () => {
    const temporary = await assumeRole();
    const full = new S3ArtifactStore(url, minioOptions(minio));
    await full.writeJson('executions/e5/pod-request.json', { step: 'sts', attempt: 1 });
    const withToken = new S3RecordStore(url, {
      endpoint: minio.endpoint,
      accessKey: temporary.accessKey,
      secretKey: temporary.secretKey,
      sessionToken: temporary.sessionToken,
    });
    expect(await withToken.readJson('executions/e5/pod-request.json', recordSchema)).toEqual({
      step: 'sts',
      attempt: 1,
    });
    // The same token from the environment, as a pod gets it.
    const fromEnv = openRecordStore(url, {
      env: {
        KILN_S3_ENDPOINT: minio.endpoint,
        AWS_ACCESS_KEY_ID: temporary.accessKey,
        AWS_SECRET_ACCESS_KEY: temporary.secretKey,
        AWS_SESSION_TOKEN: temporary.sessionToken,
      },
    });
    await fromEnv.writeJson('executions/e5/executor-output.json', { step: 'sts', attempt: 2 });
    expect(await full.readJson('executions/e5/executor-output.json', recordSchema)).toEqual({
      step: 'sts',
      attempt: 2,
    });
    const withoutToken = new S3RecordStore(url, {
      endpoint: minio.endpoint,
      accessKey: temporary.accessKey,
      secretKey: temporary.secretKey,
    });
    const refused = await failure(() => withoutToken.readJson('executions/e5/pod-request.json', recordSchema));
    const fullWithout = new S3ArtifactStore(url, {
      endpoint: minio.endpoint,
      accessKey: temporary.accessKey,
      secretKey: temporary.secretKey,
    });
    expect(refused.message).toBe(
      (await failure(() => fullWithout.readJson('executions/e5/pod-request.json', recordSchema))).message,
    );
    expect(refused.message).toMatch(/was refused \(InvalidTokenId\)/);
    expect(refused).toBeInstanceOf(StoreAccessDeniedError);
  });

  test('a dropped connection is retried until it answers or the budget is spent', async () => {
    // A failure MinIO cannot be made to produce on demand: a server that accepts and closes at once.
    let connections = 0;
    const server: Server = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const light = new S3RecordStore(url, {
        ...minioOptions(minio),
        endpoint: `http://127.0.0.1:${port}`,
        retry: { budgetMs: 1_500, initialDelayMs: 50, maxDelayMs: 200 },
      });
      const error = await failure(() => light.readJson('executions/e6/pod-request.json', recordSchema));
      expect(error).toBeInstanceOf(ArtifactIoError);
      expect((error as ArtifactIoError).retryable).toBe(true);
      expect(error.message).toMatch(/^read executions\/e6\/pod-request.json failed: /);
      expect(connections).toBeGreaterThanOrEqual(3);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('file://', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kiln-records-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  test('is the file store itself: records round-trip, a missing one names its key', async () => {
    const records = openRecordStore(`file://${dir}/store`);
    expect(records).toBeInstanceOf(FileArtifactStore);
    await records.writeJson('executions/f1/executor-output.json', { step: 'f', attempt: 1 }, { ifAbsent: true });
    expect(await openStore(`file://${dir}/store`).readJson('executions/f1/executor-output.json', recordSchema)).toEqual(
      { step: 'f', attempt: 1 },
    );
    expect(openRecordStore(join(dir, 'store')).url).toBe(records.url);
    const missing = await failure(() => records.readJson('executions/none/pod-request.json', recordSchema));
    expect(missing).toBeInstanceOf(ArtifactNotFoundError);
    expect(missing.message).toBe('artifact not found: executions/none/pod-request.json');
  });
});

test('an unknown scheme is refused as openStore refuses it', () => {
  expect(() => openRecordStore('gs://bucket/x')).toThrow(UnsupportedStoreError);
  expect(() => openRecordStore('gs://bucket/x')).toThrow(
    (() => {
      try {
        openStore('gs://bucket/x');
      } catch (error) {
        return (error as Error).message;
      }
      return 'openStore accepted gs://';
    })(),
  );
});

/** Temporary credentials from MinIO's STS (AssumeRole with the test user's keys). */
async function assumeRole(): Promise<{ accessKey: string; secretKey: string; sessionToken: string }> {
  const endpoint = new URL(minio.endpoint);
  const body = 'Action=AssumeRole&Version=2011-06-15&DurationSeconds=900';
  const signed = aws4.sign(
    {
      service: 'sts',
      region: 'us-east-1',
      method: 'POST',
      host: endpoint.host,
      path: '/',
      body,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    },
    { accessKeyId: minio.accessKey, secretAccessKey: minio.secretKey },
  );
  const text = await new Promise<string>((resolve, reject) => {
    const req = request(
      { host: endpoint.hostname, port: endpoint.port, method: 'POST', path: '/', headers: signed.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
  const field = (name: string): string => {
    const value = new RegExp(`<${name}>([^<]+)</${name}>`).exec(text)?.[1];
    if (!value) throw new Error(`MinIO's AssumeRole answered without ${name}: ${text.slice(0, 300)}`);
    return value;
  };
  return { accessKey: field('AccessKeyId'), secretKey: field('SecretAccessKey'), sessionToken: field('SessionToken') };
}
