/**
 * `bin/kiln dev --api-port 0 --json` in a child process, as apps/ui's
 * kiln-dev browser test starts it: the API, a worker with the local executor on
 * a task queue of its own, the web UI under /ui/, against the given Temporal.
 * Stopped with SIGINT by its pid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { workspaceRoot } from './paths';
import type { TemporalTarget } from './temporal';

const devInfoSchema = z.object({
  api: z.object({ url: z.string(), token: z.string() }),
  ui: z.object({ url: z.string() }),
  worker: z.object({ taskQueue: z.string() }),
});

export interface KilnDev {
  readonly apiUrl: string;
  readonly token: string;
  readonly uiUrl: string;
  readonly taskQueue: string;
  readonly pid: number;
  stop(): Promise<void>;
}

function devEnv(temporal: TemporalTarget, artifacts: string): NodeJS.ProcessEnv {
  const { TEMPORAL_ADDRESS: _a, KILN_API_URL: _b, KILN_API_TOKEN: _c, KILN_TASK_QUEUE: _d, ...inherited } = process.env;
  return {
    ...inherited,
    KILN_ARTIFACTS: `file://${artifacts}`,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: temporal.namespace,
    ...(temporal.ui ? { KILN_TEMPORAL_UI: temporal.ui } : {}),
  };
}

function firstJsonLine(child: ChildProcess, stderr: () => string): Promise<z.infer<typeof devInfoSchema>> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (!line || !out.slice(out.indexOf(line)).includes('\n')) return;
      try {
        resolve(devInfoSchema.parse(JSON.parse(line)));
      } catch (error) {
        reject(new Error(`kiln dev printed a first JSON line the bench cannot read: ${String(error)}`));
      }
    });
    child.once('exit', (code) => reject(new Error(`kiln dev exited ${code} before it was ready: ${stderr()}`)));
  });
}

/**
 * @example
 * ```ts
 * const dev = await startKilnDev(await privateTemporal(), 'kiln-bench-ui');
 * await fetch(`${dev.apiUrl}/runs`, { headers: { authorization: `Bearer ${dev.token}` } });
 * await dev.stop();
 * ```
 */
export async function startKilnDev(temporal: TemporalTarget, taskQueue: string): Promise<KilnDev> {
  const artifacts = mkdtempSync(join(tmpdir(), 'kiln-bench-ui-store-'));
  const child = spawn(
    join(workspaceRoot(), 'bin/kiln'),
    ['dev', '--api-port', '0', '--json', '--task-queue', taskQueue],
    { cwd: tmpdir(), env: devEnv(temporal, artifacts), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-8000)));
  const info = await firstJsonLine(child, () => stderr);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((done) => child.once('exit', () => done()));
      child.kill('SIGINT');
      await exited;
    }
    rmSync(artifacts, { recursive: true, force: true });
  };
  return {
    apiUrl: info.api.url,
    token: info.api.token,
    uiUrl: info.ui.url,
    taskQueue: info.worker.taskQueue,
    pid: child.pid ?? -1,
    stop,
  };
}
