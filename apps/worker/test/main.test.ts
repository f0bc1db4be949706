/**
 * `main.ts` as a process: a prebuilt workflow bundle, JSON logs without
 * secrets, a clean exit on SIGTERM, and exit code 2 naming the bad setting.
 */
import { getTestEnvironment } from '@kiln/testenv';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const src = resolve(__dirname, '../src');
const workspace = resolve(__dirname, '../../..');

test('an invalid configuration exits with code 2 and names the setting', () => {
  let status = 0;
  let stderr = '';
  try {
    execFileSync(process.execPath, ['--import', 'tsx', join(src, 'main.ts')], {
      cwd: workspace,
      env: { ...process.env, KILN_TEMPORAL_ADDRESS: 'nope', KILN_TEMPORAL_API_KEY: 'sekrit-value' },
      stdio: 'pipe',
      encoding: 'utf8',
    });
  } catch (error) {
    status = (error as { status: number }).status;
    stderr = (error as { stderr: string }).stderr;
  }
  expect(status).toBe(2);
  expect(stderr).toContain('KILN_TEMPORAL_ADDRESS: expected host:port');
  // No configured value is ever echoed, the bad one included.
  expect(stderr).not.toContain('nope');
  expect(stderr).not.toContain('sekrit-value');
});

test('with a prebuilt bundle it starts, serves both metrics endpoints, logs JSON without secrets, and stops cleanly on SIGTERM', async () => {
  const temporal = getTestEnvironment(['temporal']).temporal;
  const dir = mkdtempSync(join(tmpdir(), 'kiln-worker-main-'));
  const metricsPort = 20000 + Math.floor(Math.random() * 20000);
  const bundle = join(dir, 'kiln-workflows.js');
  const built = execFileSync(process.execPath, ['--import', 'tsx', join(src, 'build-bundle.ts'), bundle], {
    cwd: workspace,
    encoding: 'utf8',
  });
  expect(built).toContain(`wrote ${bundle}`);

  const child = spawn(process.execPath, ['--import', 'tsx', join(src, 'main.ts')], {
    cwd: workspace,
    env: {
      ...process.env,
      KILN_TEMPORAL_ADDRESS: temporal.address,
      KILN_TASK_QUEUE: `kiln-main-test-${Date.now()}`,
      KILN_ARTIFACTS: pathToFileURL(join(dir, 'store')).href,
      KILN_WORKFLOW_BUNDLE: bundle,
      KILN_METRICS_PORT: String(metricsPort),
      KILN_METRICS_HOST: '127.0.0.1',
      KILN_TEMPORAL_METRICS_PORT: String(metricsPort + 1),
      // The dev server ignores API keys; this one must never reach the logs.
      KILN_TEMPORAL_API_KEY: 'sekrit-value',
      KILN_TEMPORAL_TLS: 'false',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));

  const started = Date.now();
  while (!out.includes('kiln worker running') && Date.now() - started < 60_000 && child.exitCode === null) {
    await new Promise((r) => setTimeout(r, 200));
  }
  expect(out).toContain('kiln worker running');
  // Kiln's metrics, and Temporal Core's own exporter on the next port.
  expect(await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text()).toContain('kiln_worker_running 1');
  const core = await (await fetch(`http://127.0.0.1:${metricsPort + 1}/metrics`)).text();
  expect(core).toMatch(/temporal_/);
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  const lines = out
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { msg: string; level: number });
  expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['kiln worker running', 'kiln worker stopped']));
  expect(out).not.toContain('sekrit-value');
});
