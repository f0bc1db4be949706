/**
 * A 1 GiB artifact through MinIO with bounded memory: uploaded and downloaded by the store in a
 * child process (as the launcher would), whose peak resident memory must stay under 200 MiB,
 * and whose digests must all match the file's.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { digestFile } from '../src';
import { minioClient, testMinio } from './support/backends';
import { writeBigFile } from './support/big-file';

const GiB = 1024 * 1024 * 1024;
const MiB = 1024 * 1024;
const minio = testMinio();
let dir: string;
const prefix = `large/${randomUUID()}`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiln-s3-large-'));
});
afterAll(async () => {
  const client = minioClient(minio);
  const names: string[] = [];
  for await (const item of client.listObjectsV2(minio.bucket, `${prefix}/`, true))
    names.push((item as { name: string }).name);
  if (names.length > 0) await client.removeObjects(minio.bucket, names);
  await rm(dir, { recursive: true, force: true });
});

interface Roundtrip {
  putDigest: string;
  statDigest: string;
  downloadedDigest: string;
  size: number;
  putMs: number;
  getMs: number;
  peakRss: number;
}

function runChild(args: string[]): Promise<Roundtrip> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(__dirname, 'support', 'roundtrip-child.ts'), ...args],
      {
        env: {
          ...process.env,
          KILN_S3_ENDPOINT: minio.endpoint,
          KILN_S3_ACCESS_KEY: minio.accessKey,
          KILN_S3_SECRET_KEY: minio.secretKey,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(JSON.parse(out) as Roundtrip) : reject(new Error(`child exited ${code}: ${err}`)),
    );
  });
}

test('a 1 GiB file goes up and down through the s3 store in a process that peaks under 200 MiB', async () => {
  const source = join(dir, 'one-gib.bin');
  await writeBigFile(source, GiB);
  const local = await digestFile(source);
  const result = await runChild([
    `s3://${minio.bucket}/${prefix}`,
    'runs/big/model.bin',
    source,
    join(dir, 'down', 'model.bin'),
  ]);
  process.stderr.write(
    `1 GiB round trip: put ${result.putMs} ms (${(GiB / MiB / (result.putMs / 1000)).toFixed(0)} MiB/s), ` +
      `get ${result.getMs} ms (${(GiB / MiB / (result.getMs / 1000)).toFixed(0)} MiB/s), peak RSS ${(result.peakRss / MiB).toFixed(0)} MiB\n`,
  );
  expect(result.size).toBe(GiB);
  expect(result.putDigest).toBe(local.digest);
  expect(result.statDigest).toBe(local.digest);
  expect(result.downloadedDigest).toBe(local.digest);
  expect(result.peakRss).toBeLessThan(200 * MiB);
}, 180_000);
