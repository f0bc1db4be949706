/**
 * MinIO going away mid-transfer, on a MinIO of our own (killed and restarted on the same port and
 * data, so the shared test server is untouched): the store's retry carries the transfer across
 * a 10 second outage, and the digest still matches.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3ArtifactStore, digestFile } from '../src';
import { minioClient, minioOptions } from './support/backends';
import { writeBigFile } from './support/big-file';
import { startDedicatedMinio, type DedicatedMinio } from './support/dedicated-minio';

const MiB = 1024 * 1024;
const OUTAGE_MS = 10_000;
let dir: string;
let server: DedicatedMinio;
let store: S3ArtifactStore;
let source: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiln-s3-faults-'));
  server = await startDedicatedMinio(join(dir, 'minio'));
  // Default retry policy: what the launcher gets.
  store = new S3ArtifactStore(`s3://${server.info.bucket}/faults`, minioOptions(server.info));
  source = join(dir, 'data.bin');
  await writeBigFile(source, 512 * MiB);
}, 120_000);
afterAll(async () => {
  await server?.kill();
  await rm(dir, { recursive: true, force: true });
});

async function until(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function outage(): Promise<void> {
  await server.kill();
  await new Promise((r) => setTimeout(r, OUTAGE_MS));
  await server.start();
}

test('MinIO down for 10 s during an upload: the upload resumes and the digest matches', async () => {
  const client = minioClient(server.info);
  const local = await digestFile(source);
  const upload = store.putPath('runs/r/model.bin', source, { metadata: { step: 'train' } });
  // Kill it once the multipart upload is under way.
  await until(async () => {
    const uploads: unknown[] = [];
    for await (const u of client.listIncompleteUploads(server.info.bucket, 'faults/runs/r/model.bin', true))
      uploads.push(u);
    return uploads.length > 0;
  }, 60_000);
  const down = outage();
  const stat = await upload;
  await down;
  expect(stat).toMatchObject({ digest: local.digest, size: local.size });
  expect(await store.stat('runs/r/model.bin')).toMatchObject({ digest: local.digest, metadata: { step: 'train' } });
}, 120_000);

test('MinIO down for 10 s during a download: it resumes where it stopped and the digest matches', async () => {
  const local = await digestFile(source);
  const target = join(dir, 'down');
  const download = store.getToPath('runs/r/model.bin', join(target, 'model.bin'));
  await until(async () => (await readdir(target).catch(() => [])).some((f) => f.endsWith('.part')), 60_000);
  const down = outage();
  const stat = await download;
  await down;
  expect(stat.digest).toBe(local.digest);
  expect((await digestFile(join(target, 'model.bin'))).digest).toBe(local.digest);
}, 120_000);
