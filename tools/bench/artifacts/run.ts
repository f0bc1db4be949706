/**
 * Artifact throughput: the Kiln s3 store's putPath/getToPath against the plain `minio` client's
 * fPutObject/fGetObject of the same file, side by side in one run, against the MinIO of
 * tools/testenv. Every transfer runs in its own child process (tsx), interleaved Kiln/plain so
 * both see the same machine state; reports the median of N runs (MB/s = 10^6 bytes/s) and the
 * median peak RSS, and appends a table to tools/bench/results/artifacts.md.
 *
 *   npx tsx tools/bench/artifacts/run.ts [--runs 3] [--sizes 256,1024]   # sizes in MiB
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, appendFileSync, existsSync, readFileSync, rmSync, mkdtempSync } from 'node:fs';
import { once } from 'node:events';
import { cpus, totalmem, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from 'minio';
import { getTestEnvironment, type TestEnvironmentWith } from '../../testenv/src';

const MiB = 1024 * 1024;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] as string) : fallback;
}

async function writeFile(path: string, size: number): Promise<void> {
  const out = createWriteStream(path);
  const block = Buffer.alloc(MiB);
  for (let offset = 0; offset < size; offset += MiB) {
    for (let i = 0; i < MiB; i += 8) block.writeUInt32LE(((offset / MiB) * 2654435761 + i) >>> 0, i);
    if (!out.write(Buffer.from(block))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

interface Sample {
  ms: number;
  peakRss: number;
}

function transfer(env: NodeJS.ProcessEnv, args: string[]): Sample {
  const script = join(dirname(new URL(import.meta.url).pathname), 'transfer.ts');
  const result = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { env, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`transfer ${args.join(' ')} failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as Sample;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

type Minio = TestEnvironmentWith<'minio'>['minio'];

function minioClient(minio: Minio): Client {
  const url = new URL(minio.endpoint);
  return new Client({
    endPoint: url.hostname,
    port: Number(url.port),
    useSSL: false,
    accessKey: minio.accessKey,
    secretKey: minio.secretKey,
  });
}

/** Where one size's transfers happen: the MinIO and its credentials, a key prefix of this run, a local scratch folder. */
interface Target {
  env: NodeJS.ProcessEnv;
  minio: Minio;
  prefix: string;
  work: string;
}

/**
 * `runs` rounds of Kiln put, plain put, Kiln get, plain get of one file of `sizeMiB`; the two table rows (upload,
 * download) of their medians.
 */
async function measureSize({ env, minio, prefix, work }: Target, sizeMiB: number, runs: number): Promise<string[]> {
  const size = sizeMiB * MiB;
  const file = join(work, `src-${sizeMiB}.bin`);
  await writeFile(file, size);
  const samples: Record<string, Sample[]> = { 'kiln put': [], 'minio put': [], 'kiln get': [], 'minio get': [] };
  const down = join(work, 'down.bin');
  const kilnUrl = `s3://${minio.bucket}/${prefix}/kiln`;
  for (let run = 0; run < runs; run++) {
    const key = `f${sizeMiB}-${run}.bin`;
    // Who goes first alternates: the first download of a round reads right after two uploads' worth of
    // writes the kernel is still flushing, which slowed whichever side always went first.
    const sides = run % 2 === 0 ? (['kiln', 'minio'] as const) : (['minio', 'kiln'] as const);
    for (const side of sides) {
      samples[`${side} put`]?.push(
        side === 'kiln'
          ? transfer(env, ['kiln-put', kilnUrl, key, file])
          : transfer(env, ['minio-put', minio.bucket, `${prefix}/minio/${key}`, file]),
      );
    }
    for (const side of sides) {
      samples[`${side} get`]?.push(
        side === 'kiln'
          ? transfer(env, ['kiln-get', kilnUrl, key, down])
          : transfer(env, ['minio-get', minio.bucket, `${prefix}/minio/${key}`, down]),
      );
      rmSync(down, { force: true });
    }
    process.stderr.write(`size ${sizeMiB} MiB run ${run + 1}/${runs} done\n`);
  }
  const rows: string[] = [];
  for (const op of ['put', 'get']) {
    const kiln = samples[`kiln ${op}`] as Sample[];
    const plain = samples[`minio ${op}`] as Sample[];
    const mbps = (s: Sample[]) => size / 1e6 / (median(s.map((x) => x.ms)) / 1000);
    const rss = (s: Sample[]) => median(s.map((x) => x.peakRss)) / MiB;
    rows.push(
      `| ${sizeMiB} MiB | ${op === 'put' ? 'upload' : 'download'} | ${mbps(kiln).toFixed(0)} | ${mbps(plain).toFixed(0)} | ` +
        `${(mbps(kiln) / mbps(plain)).toFixed(2)} | ${rss(kiln).toFixed(0)} | ${rss(plain).toFixed(0)} |`,
    );
  }
  rmSync(file, { force: true });
  return rows;
}

/** Removes every object the bench wrote under `prefix`. */
async function removeObjects(client: Client, bucket: string, prefix: string): Promise<void> {
  const names: string[] = [];
  for await (const item of client.listObjectsV2(bucket, `${prefix}/`, true))
    names.push((item as { name: string }).name);
  if (names.length > 0) await client.removeObjects(bucket, names);
}

const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

/** The Markdown section for the results file. */
function resultsSection(minio: Minio, runs: number, loadBefore: string, rows: string[]): string {
  const cpu = cpus()[0]?.model ?? 'unknown';
  return [
    `## ${new Date().toISOString()}`,
    '',
    `Machine: ${cpus().length} CPUs (nproc), ${cpu}, ${(totalmem() / 1024 ** 3).toFixed(1)} GiB RAM; Node ${process.version};`,
    `MinIO (tools/testenv's binary) at ${minio.endpoint} (same machine, single drive); median of ${runs} runs, Kiln and plain interleaved (who goes first alternates); each transfer in its own process.`,
    `Load average (1, 5, 15 min) before the run: ${loadBefore}; after: ${loadAverage()}.`,
    'Kiln: `S3ArtifactStore.putPath` / `getToPath` (defaults: 16 MiB parts, 4 in flight, sha256 recorded and verified; a download',
    'larger than one part is parallel ranged GETs of 16–64 MiB (about 4 per connection) written at their offsets, hashed in order',
    'in a worker thread).',
    'Plain: `minio` 8.0.7 `fPutObject` / `fGetObject` with client defaults.',
    '',
    '| size | op | Kiln MB/s | plain MB/s | Kiln/plain | Kiln peak RSS MiB | plain peak RSS MiB |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

function appendToResults(section: string): void {
  const results = join(dirname(new URL(import.meta.url).pathname), '..', 'results', 'artifacts.md');
  mkdirSync(dirname(results), { recursive: true });
  if (!existsSync(results)) {
    appendFileSync(
      results,
      '# Artifact throughput: Kiln s3 store vs plain minio client\n\nWritten by `tools/bench/artifacts/run.ts`; newest last.\n\n',
    );
  }
  appendFileSync(results, `${section}\n`);
}

async function main(): Promise<void> {
  const loadBefore = loadAverage();
  const runs = Number(arg('runs', '3'));
  const sizes = arg('sizes', '256,1024').split(',').map(Number);
  const { minio } = getTestEnvironment(['minio']);
  const env = {
    ...process.env,
    KILN_S3_ENDPOINT: minio.endpoint,
    KILN_S3_ACCESS_KEY: minio.accessKey,
    KILN_S3_SECRET_KEY: minio.secretKey,
  };
  const client = minioClient(minio);
  const target: Target = {
    env,
    minio,
    prefix: `bench/${randomUUID()}`,
    work: mkdtempSync(join(tmpdir(), 'kiln-bench-artifacts-')),
  };
  const rows: string[] = [];
  try {
    for (const sizeMiB of sizes) rows.push(...(await measureSize(target, sizeMiB, runs)));
  } finally {
    await removeObjects(client, minio.bucket, target.prefix);
    rmSync(target.work, { recursive: true, force: true });
  }
  const section = resultsSection(minio, runs, loadBefore, rows);
  appendToResults(section);
  process.stdout.write(`${section}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
