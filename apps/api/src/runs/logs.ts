/**
 * A step's log, saved or live.
 *
 * Executors save each attempt's whole log to the store at
 * `executions/<executionKey>/log.txt` when the attempt ends (the local
 * launcher) or before the pod is deleted (Kubernetes). A finished attempt's log
 * is that object. With `follow`, a running attempt's log streams as it grows
 * and the stream ends when the attempt does:
 *
 * - Kubernetes steps (when the API has cluster access, `deps.kube`): the main
 *   container's log, followed through the Kubernetes API (`followContainerLog`
 *   re-checks the container whenever the stream ends or goes quiet, so it
 *   neither hangs nor stops early).
 * - Any step: live chunks an executor flushes to the store while the step runs,
 *   `executions/<executionKey>/log.live/<00000001…>` (the launcher's `liveLogChunkKey`) (each holding the bytes the
 *   log grew by since the previous chunk), polled here; once `log.txt` is saved
 *   the rest of it (past what the chunks held) finishes the stream. An executor
 *   that writes no chunks is still followed: the whole log arrives when saved.
 */
import { ArtifactNotFoundError, type ArtifactStore } from '@kiln/artifacts';
import { executionKey, requireTask, type TaskStatus } from '@kiln/engine/client';
import { liveLogPrefix, logKey } from '@kiln/launcher';
import { once } from 'node:events';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import type { ApiDeps } from '../deps';
import { ApiError, notFound } from '../errors';
import { getRun } from './get';

export interface LogRequest {
  runId: string;
  taskId: string;
  /** Loop indices, outermost first; absent outside loops. */
  iteration?: number[];
  /** 1-based; default the latest attempt. */
  attempt?: number;
  /** Stream a running attempt's log as it grows, until the attempt ends (or `waitMs` passes). */
  follow: boolean;
  waitMs: number;
  signal?: AbortSignal;
  /** How often the store and the run are polled while following (default 1000 ms). */
  pollMs?: number;
}

/** Where the log comes from: the saved object, or followed while the step runs. */
export type LogSource = 'saved' | 'live';

export interface StepLogStream {
  stream: Readable;
  /** The saved log's store key. */
  key: string;
  attempt: number;
  source: LogSource;
}


const isRunning = (task: TaskStatus | undefined) => task?.state === 'running' || task?.state === 'pending';

/**
 * Opens a step's log: the saved log of a finished attempt, or (with `follow`)
 * a stream that follows a running attempt until it ends.
 *
 * @throws ApiError 404 for an unknown task or attempt, a step that ended
 * without a log (cached, skipped), or a running step without `follow`.
 * @example
 * ```ts
 * const { stream, source } = await openStepLog(deps, { runId, taskId: 'train', follow: true, waitMs: 3_600_000 });
 * stream.pipe(process.stdout); // lines as the step prints them; ends when the step does
 * ```
 */
export async function openStepLog(deps: ApiDeps, req: LogRequest): Promise<StepLogStream> {
  const run = await getRun(deps, req.runId);
  const task = requireTask(run, req.taskId, req.iteration);
  const attempts = Math.max(1, task.attempts);
  const attempt = req.attempt ?? attempts;
  if (attempt > attempts) throw notFound(`task ${req.taskId} has ${task.attempts} attempt(s); there is no attempt ${attempt}`);
  const execution = executionKey(run.runId, req.taskId, req.iteration, attempt);
  const key = logKey(execution);
  if (await deps.store.exists(key)) return { stream: await deps.store.get(key), key, attempt, source: 'saved' };

  // Only the latest attempt of a running task is still running; older ones have ended.
  if (!isRunning(task) || attempt < task.attempts) {
    // One last look: the step may have ended between the two checks.
    if (await deps.store.exists(key)) return { stream: await deps.store.get(key), key, attempt, source: 'saved' };
    throw notFound(`no saved log for task ${req.taskId} attempt ${attempt} (state ${task.state}; cached and skipped steps have no log)`);
  }
  if (!req.follow) {
    throw new ApiError(404, 'not-found', `task ${req.taskId} attempt ${attempt} is still running and its log is saved when it ends; add ?follow=true to stream it live`);
  }

  const out = new PassThrough();
  const follow = new LogFollower(deps, req, { workflowId: req.runId, runId: run.runId, pipelineName: run.pipeline.name, attempt, execution, key }, out);
  void follow.run().then(
    () => out.end(),
    (error: unknown) => {
      out.end(`\n[kiln] following the log failed: ${(error as Error).message ?? String(error)}\n`);
    },
  );
  return { stream: out, key, attempt, source: 'live' };
}

interface Target {
  workflowId: string;
  runId: string;
  pipelineName: string;
  attempt: number;
  execution: string;
  /** The saved log's key. */
  key: string;
}

/** Follows one running attempt's log into `out`, from whichever source has it. */
class LogFollower {
  /** Bytes of the log written to `out` so far (from the store's chunks or saved log). */
  private sent = 0;
  /** The last live chunk written. */
  private chunk = 0;
  private readonly deadline: number;
  private readonly pollMs: number;

  constructor(
    private readonly deps: ApiDeps,
    private readonly req: LogRequest,
    private readonly target: Target,
    private readonly out: Writable,
  ) {
    this.deadline = Date.now() + req.waitMs;
    this.pollMs = req.pollMs ?? 1000;
  }

  private get stopped(): boolean {
    return this.req.signal?.aborted === true || this.out.destroyed;
  }

  async run(): Promise<void> {
    const task = await this.currentTask();
    if (task?.executor === 'kubernetes' && this.deps.kube) {
      const followed = await this.followPod();
      // A pod that was gone before it could be followed (a quick step): its log is saved in the store.
      if (followed) return;
    }
    await this.followStore();
  }

  /** The attempt's task entry as the run reports it now. */
  private async currentTask(): Promise<TaskStatus | undefined> {
    const run = await getRun(this.deps, this.req.runId);
    const task = run.tasks.find((t) => t.id === this.req.taskId && !t.batched && (t.iteration ?? []).join(',') === (this.req.iteration ?? []).join(','));
    return task && task.attempts > this.target.attempt ? { ...task, state: 'failed' } : task;
  }

  /** Whether the attempt has ended (the task moved on to a later attempt, or settled). */
  private async ended(): Promise<boolean> {
    return !isRunning(await this.currentTask());
  }

  /**
   * Polls the store: live chunks as they land, then the rest of the saved log.
   * Ends when the saved log is written out, or the attempt ended without one.
   */
  private async followStore(): Promise<void> {
    const { store } = this.deps;
    let polls = 0;
    while (!this.stopped) {
      if (await store.exists(this.target.key)) {
        await this.writeFrom(await store.get(this.target.key), this.sent);
        return;
      }
      await this.writeNewChunks(store);
      // The run is asked less often than the store: a status query costs more than a stat.
      if (++polls % 3 === 0 && (await this.ended())) {
        if (await store.exists(this.target.key)) continue;
        this.out.write(`[kiln] attempt ${this.target.attempt} ended without a saved log\n`);
        return;
      }
      if (Date.now() > this.deadline) {
        this.out.write(`\n[kiln] stopped following after ${Math.round(this.req.waitMs / 1000)} s; the step is still running (follow again to continue)\n`);
        return;
      }
      await sleep(this.pollMs, this.req.signal);
    }
  }

  private async writeNewChunks(store: ArtifactStore): Promise<void> {
    const prefix = liveLogPrefix(this.target.execution);
    const numbers: number[] = [];
    for await (const key of store.list(prefix)) {
      const n = Number(key.slice(prefix.length));
      if (Number.isInteger(n) && n > this.chunk) numbers.push(n);
    }
    numbers.sort((a, b) => a - b);
    for (const n of numbers) {
      // Chunks are written in order; a gap means the next one is still being written.
      if (n !== this.chunk + 1) return;
      let body: Readable;
      try {
        body = await store.get(`${prefix}${String(n).padStart(8, '0')}`);
      } catch (error) {
        // The executor cleans chunks up once the whole log is saved: the saved log has the rest.
        if (error instanceof ArtifactNotFoundError) return;
        throw error;
      }
      await this.writeFrom(body, 0);
      this.chunk = n;
    }
  }

  /** Writes `body` to `out` from byte `skip` on, counting what it writes. */
  private async writeFrom(body: Readable, skip: number): Promise<void> {
    let toSkip = skip;
    for await (const piece of body as AsyncIterable<Buffer>) {
      if (this.stopped) {
        body.destroy();
        return;
      }
      let bytes = piece;
      if (toSkip > 0) {
        const dropped = Math.min(toSkip, bytes.length);
        toSkip -= dropped;
        bytes = bytes.subarray(dropped);
        if (bytes.length === 0) continue;
      }
      this.sent += bytes.length;
      if (!this.out.write(bytes)) await once(this.out, 'drain');
    }
  }

  /**
   * Follows the attempt's pod's main container through the Kubernetes API.
   * Returns false when the pod could not be followed at all (gone before it was
   * seen, e.g. a quick step whose pod was already deleted).
   */
  private async followPod(): Promise<boolean> {
    const kube = this.deps.kube;
    if (!kube) return false;
    // Loaded on first use: the Kubernetes client is large and ESM-only.
    const { followContainerLog, podIdentity, statusOf } = await import('@kiln/k8s-activities');
    const { name } = podIdentity({
      workflowId: this.target.workflowId,
      runId: this.target.runId,
      pipelineName: this.target.pipelineName,
      taskId: this.req.taskId,
      iteration: this.req.iteration ?? [],
      attempt: this.target.attempt,
      executionKey: this.target.execution,
    });
    // The pod exists a moment after the step starts; the step may also end first.
    for (;;) {
      if (this.stopped || Date.now() > this.deadline) return true;
      const pod = await kube.core.readNamespacedPod({ namespace: kube.namespace, name }).catch((error: unknown) => {
        if (statusOf(error) === 404) return undefined;
        throw error;
      });
      if (pod) break;
      if ((await this.deps.store.exists(this.target.key)) || (await this.ended())) return false;
      await sleep(this.pollMs, this.req.signal);
    }
    let wrote = false;
    const sink = new PassThrough();
    sink.on('data', (chunk: Buffer) => {
      wrote = true;
      this.out.write(chunk);
    });
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    this.req.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(onAbort, Math.max(0, this.deadline - Date.now()));
    try {
      await followContainerLog({ kc: kube.kc, core: kube.core, namespace: kube.namespace, name, out: sink, signal: stop.signal, recheckMs: 5_000 });
    } finally {
      clearTimeout(timer);
      this.req.signal?.removeEventListener('abort', onAbort);
    }
    if (stop.signal.aborted && !this.req.signal?.aborted) {
      this.out.write(`\n[kiln] stopped following after ${Math.round(this.req.waitMs / 1000)} s; the step is still running (follow again to continue)\n`);
    }
    return wrote || stop.signal.aborted;
  }
}

/** Waits `ms`, or less if `signal` aborts (then resolves too: the caller checks why it woke). */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return delay(ms, undefined, signal ? { signal } : {}).catch(() => undefined);
}
