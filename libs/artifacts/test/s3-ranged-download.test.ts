/**
 * Downloads of objects larger than one part: parallel ranged GETs written at their offsets, against
 * the test MinIO. The object is a real multipart upload; a proxy in front of MinIO (see
 * support/cutting-proxy.ts) loses the connection of one range partway, which the real server
 * cannot be made to do to one request.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArtifactIoError, S3ArtifactStore, digestFile } from '../src';
import { byteRanges, downloadRangeSize } from '../src/s3/download';
import { minioClient, minioOptions, testMinio } from './support/backends';
import { writeBigFile } from './support/big-file';
import { startCuttingProxy, type CuttingProxy } from './support/cutting-proxy';

const MiB = 1024 * 1024;
const minio = testMinio();
const prefix = `ranged/${randomUUID()}`;
const url = `s3://${minio.bucket}/${prefix}`;
/** 5 MiB parts (S3's smallest): the 23 MiB file is 5 parts up and 5 ranges down. */
const transfer = { partSize: 5 * MiB, concurrency: 3 };
let dir: string;
let source: string;
let sourceDigest: string;
let proxy: CuttingProxy | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiln-s3-ranged-'));
  source = join(dir, 'model.bin');
  await writeBigFile(source, 23 * MiB);
  sourceDigest = (await digestFile(source)).digest;
  await new S3ArtifactStore(url, minioOptions(minio, transfer)).putPath('model.bin', source);
}, 60_000);
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});
afterAll(async () => {
  const client = minioClient(minio);
  const names: string[] = [];
  for await (const item of client.listObjectsV2(minio.bucket, `${prefix}/`, true))
    names.push((item as { name: string }).name);
  if (names.length > 0) await client.removeObjects(minio.bucket, names);
  await rm(dir, { recursive: true, force: true });
});

test('byteRanges cuts a size into part-size ranges, the last one shorter', () => {
  expect(byteRanges(23 * MiB, 5 * MiB).map((r) => [r.start / MiB, r.size / MiB])).toEqual([
    [0, 5],
    [5, 5],
    [10, 5],
    [15, 5],
    [20, 3],
  ]);
  expect(byteRanges(0, 5 * MiB)).toEqual([]);
});

test('a big object is read in fewer, larger ranges, never below the part size nor above 64 MiB', () => {
  // 1 GiB over 4 connections: 64 MiB ranges, 16 in all (4 per connection).
  expect(downloadRangeSize(1024 * MiB, 16 * MiB, 4)).toBe(64 * MiB);
  // 512 MiB: 32 MiB gives each connection its 4 ranges.
  expect(downloadRangeSize(512 * MiB, 16 * MiB, 4)).toBe(32 * MiB);
  // Smaller objects keep the part size.
  expect(downloadRangeSize(100 * MiB, 16 * MiB, 4)).toBe(16 * MiB);
  expect(downloadRangeSize(23 * MiB, 5 * MiB, 3)).toBe(5 * MiB);
  // 10 GiB: capped at 64 MiB (160 ranges).
  expect(downloadRangeSize(10 * 1024 * MiB, 16 * MiB, 4)).toBe(64 * MiB);
  // A part size above the cap wins: ranges are never smaller than what the user set.
  expect(downloadRangeSize(10 * 1024 * MiB, 128 * MiB, 4)).toBe(128 * MiB);
});

test('an object of several parts downloads as parallel ranges and matches its digest', async () => {
  proxy = await startCuttingProxy(minio.endpoint, { rangeStart: -1, times: 0, afterBytes: 0 });
  const store = new S3ArtifactStore(url, minioOptions(minio, { ...transfer, endpoint: proxy.endpoint }));
  const target = join(dir, 'whole', 'model.bin');
  const stat = await store.getToPath('model.bin', target);
  expect(stat.digest).toBe(sourceDigest);
  expect((await digestFile(target)).digest).toBe(sourceDigest);
  expect(proxy.ranges.filter((r) => r.startsWith('bytes=')).sort()).toEqual(
    byteRanges(23 * MiB, 5 * MiB)
      .map((r) => `bytes=${r.start}-${r.start + r.size - 1}`)
      .sort(),
  );
});

test('a range whose connection is lost partway resumes from its last byte, and the digest still matches', async () => {
  proxy = await startCuttingProxy(minio.endpoint, { rangeStart: 10 * MiB, times: 1, afterBytes: 2 * MiB });
  const store = new S3ArtifactStore(url, minioOptions(minio, { ...transfer, endpoint: proxy.endpoint }));
  const target = join(dir, 'resumed', 'model.bin');
  const stat = await store.getToPath('model.bin', target);
  expect(proxy.cuts).toBe(1);
  expect(stat.digest).toBe(sourceDigest);
  expect((await digestFile(target)).digest).toBe(sourceDigest);
  // The retry asked only for the rest of the third range.
  const resumed = proxy.ranges.find((r) => /^bytes=(\d+)-15728639$/.test(r) && r !== 'bytes=10485760-15728639');
  expect(resumed).toBeDefined();
  expect(Number(/=(\d+)-/.exec(resumed ?? '')?.[1])).toBeGreaterThan(10 * MiB);
}, 60_000);

test('a range that keeps failing fails the download naming the range, and leaves no file behind', async () => {
  // Every read of the third range, resumed ones too, loses its connection before a byte arrives.
  proxy = await startCuttingProxy(minio.endpoint, {
    rangeStart: 10 * MiB,
    rangeEnd: 15 * MiB - 1,
    times: Infinity,
    afterBytes: 0,
  });
  const store = new S3ArtifactStore(
    url,
    minioOptions(minio, {
      ...transfer,
      endpoint: proxy.endpoint,
      retry: { budgetMs: 1_000, initialDelayMs: 50, maxDelayMs: 200 },
    }),
  );
  const target = join(dir, 'failed', 'model.bin');
  const failure = await store.getToPath('model.bin', target).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(failure).toBeInstanceOf(ArtifactIoError);
  expect((failure as Error).message).toMatch(
    /^download model\.bin failed: range 3 of 5 \(bytes 10485760-15728639\) could not be read: /,
  );
  expect(proxy.cuts).toBeGreaterThan(1);
  expect(await readdir(join(dir, 'failed'))).toEqual([]);
}, 60_000);
