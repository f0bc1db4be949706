/**
 * Real servers for the client's tests: the Temporal dev server from
 * tools/testenv, a Kiln worker with the local executor in this process
 * (`@kiln/testing`'s `startTestWorker`), and
 * the Kiln API (apps/api) started as its own process on a free port, exactly
 * as it is deployed — sharing the worker's task queue and artifact store.
 */
import { openStore } from '@kiln/artifacts';
import { getTestEnvironment, type TemporalInfo } from '@kiln/testenv';
import { eventually as pollUntil, startTestWorker } from '@kiln/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const root = resolve(__dirname, '../../../..');

export interface Servers {
  temporal: TemporalInfo;
  taskQueue: string;
  storeUrl: string;
  api: { url: string; tokens: { admin: string; viewer: string } };
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export async function startServers(options: { api: boolean } = { api: true }): Promise<Servers> {
  const temporal = getTestEnvironment(['temporal']).temporal;
  const dir = await mkdtemp(join(tmpdir(), 'kiln-client-test-'));
  const storeUrl = pathToFileURL(join(dir, 'store')).href;
  const taskQueue = `kiln-client-test-${randomUUID()}`;
  // Failing steps are part of the tests; the worker's warnings about them are noise.
  const worker = await startTestWorker({
    taskQueue,
    store: openStore(storeUrl),
    workRoot: join(dir, 'work'),
    logLevel: 'ERROR',
  });

  const tokens = { admin: `admin-${randomUUID()}`, viewer: `viewer-${randomUUID()}` };
  let api: ChildProcess | undefined;
  let url = '';
  if (options.api) {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    api = spawn(
      process.execPath,
      ['--import', join(root, 'node_modules/tsx/dist/loader.mjs'), join(root, 'apps/api/src/main.ts')],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          TSX_TSCONFIG_PATH: join(root, 'tsconfig.json'),
          KILN_TEMPORAL_ADDRESS: temporal.address,
          KILN_TEMPORAL_NAMESPACE: temporal.namespace,
          KILN_TASK_QUEUE: taskQueue,
          KILN_ARTIFACTS: storeUrl,
          KILN_API_HOST: '127.0.0.1',
          KILN_API_PORT: String(port),
          KILN_API_TOKENS: `admin:admin:${sha256(tokens.admin)},viewer:viewer:${sha256(tokens.viewer)}`,
          KILN_TEMPORAL_UI_URL: temporal.ui,
          KILN_LOG_LEVEL: 'warn',
          // The schedule tests fire every 2 s; deployments keep the 60 s minimum.
          KILN_API_SCHEDULE_MIN_INTERVAL_SECONDS: '1',
        },
      },
    );
    let output = '';
    api.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    api.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + 60_000;
    for (;;) {
      const ok = await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (api.exitCode !== null || Date.now() > deadline)
        throw new Error(`the Kiln API did not start:\n${output.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  return {
    temporal,
    taskQueue,
    storeUrl,
    api: { url, tokens },
    async close() {
      if (api && api.exitCode === null) {
        const exited = new Promise((r) => api?.once('exit', r));
        api.kill('SIGTERM');
        await exited;
      }
      await worker.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** `@kiln/testing`'s `eventually`, polling every 300 ms. */
export const eventually = <T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 60_000,
  everyMs = 300,
): Promise<T> => pollUntil(probe, what, timeoutMs, everyMs);
