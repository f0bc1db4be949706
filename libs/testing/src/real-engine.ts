/**
 * The real thing for runtime tests: the shared Temporal dev server of tools/testenv, an
 * in-process Kiln worker with the REAL local executor (its default launcher mode; every step's
 * command a child process, python components in cached virtualenvs) and a file:// artifact
 * store in a temp folder. `runStep` is wrapped only to
 * remember, per step attempt, the resolved inputs and the log URI (the status document keeps
 * neither), so tests can read what a step saw and printed.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { createLocalExecutorActivities } from '@kiln/local-executor';
import { openStore } from '@kiln/artifacts';
import {
  statusQuery,
  type KilnActivities,
  type LegacyStepRequest,
  type RunOptions,
  type RunStatusDocument,
  type StepFailureDetails,
  type StepRequest,
} from '@kiln/engine-contract';
import { createKilnWorker } from '@kiln/engine-worker';
import { startPipelineRun } from '@kiln/engine-client';
import type { JsonValue, PipelineSpec } from '@kiln/ir';
import { getTestEnvironment } from '@kiln/testenv';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { installTestRuntime } from './runtime';

/** One finished step attempt, as the worker saw it. */
export interface StepCall {
  runId: string;
  taskId: string;
  iteration: number[];
  attempt: number;
  params: Record<string, JsonValue>;
  logUri?: string;
}

/** A finished run: its status document, how the workflow ended, and its step attempts. */
export interface RealRun {
  doc: RunStatusDocument;
  status: string;
  error?: string;
  /** Step attempts of this run, in the order they finished. */
  calls: StepCall[];
  /** The saved log of a task's attempts (all iterations, all attempts), concatenated. */
  log(taskId: string): string;
}

/** A running worker on its own task queue; `close()` stops it and removes its temp folder. */
export interface RealEngine {
  root: string;
  storeUrl: string;
  run(spec: PipelineSpec, params?: Record<string, JsonValue>, options?: RunOptions): Promise<RealRun>;
  close(): Promise<void>;
}

function readUri(uri: string): string {
  try {
    return readFileSync(fileURLToPath(uri), 'utf8');
  } catch {
    return '';
  }
}

export interface RealEngineOptions {
  /** Step attempts the worker runs at once. Default 8. */
  maxConcurrentActivityTaskExecutions?: number;
  /** A folder to keep the store and work folders in (left in place by `close()`). Default: a new temp folder, removed by `close()`. */
  root?: string;
}

/**
 * Starts a Kiln worker with the real local executor against the shared Temporal dev server.
 *
 * @example
 * ```ts
 * const engine = await startRealEngine({ maxConcurrentActivityTaskExecutions: 4 });
 * try {
 *   const run = await engine.run(spec, { n: 3 }, { cache: false });
 *   console.log(run.status, run.doc.tasks.map((t) => t.state), run.calls.length);
 * } finally {
 *   await engine.close();
 * }
 * ```
 */
export async function startRealEngine(opts: RealEngineOptions = {}): Promise<RealEngine> {
  installTestRuntime('ERROR');
  const temporal = getTestEnvironment(['temporal']).temporal;
  const root = opts.root ?? mkdtempSync(join(tmpdir(), 'kiln-real-'));
  const storeUrl = `file://${join(root, 'store')}`;
  const store = openStore(storeUrl);
  const base = createLocalExecutorActivities({
    store,
    workRoot: join(root, 'work'),
    heartbeatMs: 1000,
    graceMs: 2000,
    // Tests import files they wrote into the temp folder (a deployed worker allows no folder by default).
    importRoots: [tmpdir()],
  });
  const calls: StepCall[] = [];
  const record = (req: StepRequest | LegacyStepRequest, logUri: string | undefined) =>
    calls.push({
      runId: req.runId,
      taskId: req.taskId,
      iteration: req.iteration,
      attempt: req.attempt,
      params: req.inputs.params,
      ...(logUri && { logUri }),
    });
  const activities: KilnActivities = {
    ...base,
    async runStep(req) {
      try {
        const result = await base.runStep(req);
        record(req, result.logUri);
        return result;
      } catch (error) {
        const details =
          error instanceof ApplicationFailure ? (error.details?.[0] as StepFailureDetails | undefined) : undefined;
        record(req, details?.logUri);
        throw error;
      }
    },
  };

  const nativeConnection = await NativeConnection.connect({ address: temporal.address });
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection, namespace: temporal.namespace });
  const taskQueue = `kiln-real-${randomUUID()}`;
  const worker: Worker = await createKilnWorker({
    connection: nativeConnection,
    namespace: temporal.namespace,
    taskQueue,
    activities,
    maxConcurrentActivityTaskExecutions: opts.maxConcurrentActivityTaskExecutions ?? 8,
  });
  const running = worker.run();

  return {
    root,
    storeUrl,
    async run(spec, params = {}, options = {}) {
      const handle = await startPipelineRun(client, {
        taskQueue,
        spec,
        params,
        options: { executor: 'local', ...options },
      });
      let doc: RunStatusDocument | undefined;
      let error: string | undefined;
      let status = 'COMPLETED';
      try {
        doc = (await handle.result()) as RunStatusDocument;
      } catch (err) {
        const cause = err instanceof WorkflowFailedError ? err.cause : undefined;
        error = cause?.message ?? (err as Error).message;
        status = (await handle.describe()).status.name;
        doc =
          (cause instanceof ApplicationFailure ? (cause.details?.[0] as RunStatusDocument | undefined) : undefined) ??
          (await handle.query(statusQuery).catch(() => undefined));
        if (!doc) throw err;
      }
      const runId = doc.runId;
      const mine = () => calls.filter((c) => c.runId === runId);
      return {
        doc,
        status,
        ...(error !== undefined && { error }),
        calls: mine(),
        log: (taskId) =>
          mine()
            .filter((c) => c.taskId === taskId && c.logUri)
            .map((c) => readUri(c.logUri as string))
            .join('\n'),
      };
    },
    async close() {
      worker.shutdown();
      await running;
      await connection.close();
      await nativeConnection.close();
      if (!opts.root) rmSync(root, { recursive: true, force: true });
    },
  };
}
