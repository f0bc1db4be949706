/**
 * The Kiln worker under test: `apps/worker/src/main.ts` with the Kubernetes executor, configured
 * only through its environment, as users run it. It starts from a prebuilt workflow bundle so a
 * restart after `kill -9` takes seconds, not a re-bundle.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { startWorkerProcess, workspaceRoot, type WorkerProcess } from '@kiln/testing';

/** Builds the workflow bundle once (apps/worker/src/build-bundle.ts) into `file`. */
export function buildWorkflowBundle(file: string): Promise<void> {
  const root = workspaceRoot();
  const tsx = join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [tsx, join(root, 'apps', 'worker', 'src', 'build-bundle.ts'), file],
      { cwd: root, timeout: 300_000 },
      (error, _stdout, stderr) =>
        error ? reject(new Error(`building the workflow bundle failed: ${stderr}`)) : resolve(),
    );
  });
}

/** A worker that can be SIGKILLed and started again with the same environment. */
export class ChaosWorker {
  private current: WorkerProcess | undefined;
  /** Output of every worker process so far, for failure messages. */
  private earlier = '';

  constructor(
    private readonly env: Record<string, string>,
    private readonly readyTimeoutMs = 180_000,
  ) {}

  async start(): Promise<void> {
    this.current = await startWorkerProcess(this.env, this.readyTimeoutMs);
  }

  /** `kill -9` of the worker's whole process group, without a chance to clean up. */
  async kill(): Promise<void> {
    const child = this.current?.child;
    if (!child || child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
    await exited;
    this.earlier += this.current?.output() ?? '';
    this.current = undefined;
  }

  /** True while a worker process runs. */
  get running(): boolean {
    const child = this.current?.child;
    return child !== undefined && child.exitCode === null && child.signalCode === null;
  }

  /** True when the worker process exited without being killed: a soak failure. */
  get diedUnasked(): boolean {
    const child = this.current?.child;
    return child !== undefined && (child.exitCode !== null || child.signalCode !== null);
  }

  /** The last `lines` lines of everything the workers printed. */
  tail(lines = 40): string {
    return `${this.earlier}${this.current?.output() ?? ''}`.trimEnd().split('\n').slice(-lines).join('\n');
  }

  /** Graceful stop (SIGTERM, SIGKILL after 20 s), by pid. */
  async stop(): Promise<void> {
    await this.current?.stop();
    this.current = undefined;
  }
}
