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
 *   `executions/<executionKey>/log.live/<00000001…>` (`liveLogChunkKey` of `@kiln/store-layout`) (each holding the bytes the
 *   log grew by since the previous chunk), polled here; once `log.txt` is saved
 *   the rest of it (past what the chunks held) finishes the stream. An executor
 *   that writes no chunks is still followed: the whole log arrives when saved.
 *   Kubernetes steps fall back to this when the Kubernetes API fails (the
 *   details go to the request's log, a short `[kiln]` line to the client).
 *
 * An attempt has ended once its task settled or moved on, or the run closed
 * in Temporal (a terminated run saves no record, and its status query may
 * still say "running"). A follow ends when the client goes away (every wait,
 * including for a full response to drain, ends with it) and logs
 * "log follow ended" with its outcome.
 */
import type { LogSource } from '@kiln/api-contract';
import { ArtifactNotFoundError, type ArtifactStore } from '@kiln/artifacts';
import { requireTask, type KilnRunView, type TaskStatus } from '@kiln/engine-client';
import { executionKey, liveLogPrefix, stepLogKey } from '@kiln/store-layout';
import { once } from 'node:events';
import { PassThrough, Writable, type Readable } from 'node:stream';
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
  /**
   * Where a follow reports how it ended (`info`, "log follow ended") and what
   * went wrong (`warn`, with the details the client is not shown): the
   * request's logger.
   */
  log?: FollowLogger;
}

/** The part of a pino (fastify request) logger a follow uses. */
export interface FollowLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

/** How a follow ended, as logged ("log follow ended"). */
export type FollowOutcome = 'saved-log' | 'ended-without-log' | 'pod-log' | 'deadline' | 'client-gone' | 'failed';

export interface StepLogStream {
  stream: Readable;
  /** The saved log's store key. */
  key: string;
  attempt: number;
  /** Where the log comes from: the saved object, or followed while the step runs (`x-kiln-log-source`). */
  source: LogSource;
}

const isRunning = (task: TaskStatus | undefined) => task?.state === 'running' || task?.state === 'pending';

/**
 * Whether the run has closed in Temporal. A terminated or timed-out run saved
 * no record, and a worker may still answer its status query with the task
 * "running": the run's own status is what says the attempt is over.
 */
const runClosed = (run: KilnRunView) => run.temporal.status !== 'RUNNING';

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
  if (attempt > attempts)
    throw notFound(`task ${req.taskId} has ${task.attempts} attempt(s); there is no attempt ${attempt}`);
  const execution = executionKey({ runId: run.runId, taskId: req.taskId, iteration: req.iteration, attempt });
  const key = stepLogKey(execution);
  if (await deps.store.exists(key)) return { stream: await deps.store.get(key), key, attempt, source: 'saved' };

  // Only the latest attempt of a running task of a running run is still running; older ones have ended.
  if (runClosed(run) || !isRunning(task) || attempt < task.attempts) {
    // One last look: the step may have ended between the two checks.
    if (await deps.store.exists(key)) return { stream: await deps.store.get(key), key, attempt, source: 'saved' };
    if (runClosed(run) && isRunning(task)) {
      throw notFound(
        `no saved log for task ${req.taskId} attempt ${attempt}: the run ended (${run.temporal.status}) while the step was running, and no log was saved`,
      );
    }
    throw notFound(
      `no saved log for task ${req.taskId} attempt ${attempt} (state ${task.state}; cached and skipped steps have no log)`,
    );
  }
  if (!req.follow) {
    throw new ApiError(
      404,
      'not-found',
      `task ${req.taskId} attempt ${attempt} is still running and its log is saved when it ends; add ?follow=true to stream it live`,
    );
  }

  const out = new PassThrough();
  const follow = new LogFollower(
    deps,
    req,
    { workflowId: req.runId, runId: run.runId, pipelineName: run.pipeline.name, attempt, execution, key },
    out,
  );
  const about = { runId: req.runId, taskId: req.taskId, iteration: req.iteration, attempt };
  void follow
    .run()
    .then(
      (outcome) => {
        out.end();
        req.log?.info({ ...about, outcome, bytes: follow.bytesWritten }, 'log follow ended');
      },
      (error: unknown) => {
        // The details (store or cluster errors) are for the operator, not the client.
        req.log?.warn({ ...about, err: error }, 'following a step log failed');
        out.end('\n[kiln] following the log failed; the whole log is saved when the step ends\n');
        req.log?.info({ ...about, outcome: 'failed', bytes: follow.bytesWritten }, 'log follow ended');
      },
    )
    .finally(() => follow.dispose());
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
  /** Bytes of the log written to `out` so far from the store's chunks or saved log (where a saved log resumes). */
  private sent = 0;
  /** The last live chunk written. */
  private chunk = 0;
  /** Bytes of the pod's log written to `out`. */
  private podBytes = 0;
  private readonly deadline: number;
  private readonly pollMs: number;
  /** Aborts when the request's signal does or `out` closes (the client went away): every wait here ends with it. */
  private readonly stop = new AbortController();
  private readonly onStop = () => this.stop.abort();

  constructor(
    private readonly deps: ApiDeps,
    private readonly req: LogRequest,
    private readonly target: Target,
    private readonly out: Writable,
  ) {
    this.deadline = Date.now() + req.waitMs;
    this.pollMs = req.pollMs ?? 1000;
    if (req.signal?.aborted) this.stop.abort();
    req.signal?.addEventListener('abort', this.onStop, { once: true });
    out.once('close', this.onStop);
  }

  /** Bytes written to the client, from whichever source. */
  get bytesWritten(): number {
    return this.sent + this.podBytes;
  }

  private get stopped(): boolean {
    return this.stop.signal.aborted || this.out.destroyed;
  }

  /** Removes the listeners on the request's signal and `out`. */
  dispose(): void {
    this.req.signal?.removeEventListener('abort', this.onStop);
    this.out.off('close', this.onStop);
  }

  async run(): Promise<FollowOutcome> {
    const task = this.taskOf(await getRun(this.deps, this.req.runId));
    if (task?.executor === 'kubernetes' && this.deps.kube) {
      try {
        const outcome = await this.followPod();
        // undefined: the pod was gone before it could be followed (a quick step): its log is saved in the store.
        if (outcome) return outcome;
      } catch (error) {
        if (this.stopped) return 'client-gone';
        // Missing RBAC, an API server down...: the store still has the step's log (chunks while it runs, all of it at the end).
        this.req.log?.warn(
          { runId: this.req.runId, taskId: this.req.taskId, attempt: this.target.attempt, err: error },
          'following the pod log through the Kubernetes API failed; following the store instead',
        );
        this.out.write(
          this.podBytes > 0
            ? '\n[kiln] live pod log interrupted; following the saved log from its start\n'
            : '[kiln] live pod log unavailable; following the saved log\n',
        );
      }
    }
    return this.followStore();
  }

  /** The attempt's task entry in `run` (failed once the task moved on to a later attempt). */
  private taskOf(run: KilnRunView): TaskStatus | undefined {
    const task = run.tasks.find(
      (t) =>
        t.id === this.req.taskId &&
        !t.batched &&
        (t.iteration ?? []).join(',') === (this.req.iteration ?? []).join(','),
    );
    return task && task.attempts > this.target.attempt ? { ...task, state: 'failed' } : task;
  }

  /** Whether the attempt has ended: the run closed, the task moved on to a later attempt, or it settled. */
  private async ended(): Promise<boolean> {
    const run = await getRun(this.deps, this.req.runId);
    return runClosed(run) || !isRunning(this.taskOf(run));
  }

  private writeStoppedFollowing(): FollowOutcome {
    this.out.write(
      `\n[kiln] stopped following after ${Math.round(this.req.waitMs / 1000)} s; the step is still running (follow again to continue)\n`,
    );
    return 'deadline';
  }

  /**
   * Polls the store: live chunks as they land, then the rest of the saved log.
   * Ends when the saved log is written out, or the attempt ended without one.
   */
  private async followStore(): Promise<FollowOutcome> {
    const { store } = this.deps;
    let polls = 0;
    while (!this.stopped) {
      if (await store.exists(this.target.key)) {
        await this.writeFrom(await store.get(this.target.key), this.sent);
        return this.stopped ? 'client-gone' : 'saved-log';
      }
      await this.writeNewChunks(store);
      // The run is asked less often than the store: a status query costs more than a stat.
      if (++polls % 3 === 0 && (await this.ended())) {
        if (await store.exists(this.target.key)) continue;
        this.out.write(`[kiln] attempt ${this.target.attempt} ended without a saved log\n`);
        return 'ended-without-log';
      }
      if (Date.now() > this.deadline) return this.writeStoppedFollowing();
      await sleep(this.pollMs, this.stop.signal);
    }
    return 'client-gone';
  }

  private async writeNewChunks(store: ArtifactStore): Promise<void> {
    const prefix = liveLogPrefix(this.target.execution);
    const numbers: number[] = [];
    let lastWrittenListed = false;
    for await (const key of store.list(prefix)) {
      const n = Number(key.slice(prefix.length));
      if (!Number.isInteger(n)) continue;
      if (n > this.chunk) numbers.push(n);
      else if (n === this.chunk) lastWrittenListed = true;
    }
    if (this.chunk > 0 && !lastWrittenListed) {
      // The chunk last written is gone. Either the whole log was saved and the chunks removed (the caller reads the
      // saved log next), or a new try of this attempt (a worker died mid-step) swept the earlier try's chunks and
      // numbers its own from 1 again: its log starts over, so the follow does too. The saved log is put before the
      // chunks are removed, so no saved log now means the sweep.
      if (await store.exists(this.target.key)) return;
      this.out.write(
        `\n[kiln] attempt ${this.target.attempt} started over (tried again after an interruption); its log from the start:\n`,
      );
      this.chunk = 0;
      this.sent = 0;
      await this.writeNewChunks(store);
      return;
    }
    numbers.sort((a, b) => a - b);
    for (const n of numbers) {
      // Chunks are written in order; a gap means the next one is still being written.
      if (n !== this.chunk + 1 || this.stopped) return;
      let body: Readable;
      try {
        body = await store.get(`${prefix}${String(n).padStart(8, '0')}`);
      } catch (error) {
        // The executor cleans chunks up once the whole log is saved: the saved log has the rest.
        if (error instanceof ArtifactNotFoundError) return;
        throw error;
      }
      await this.writeFrom(body, 0);
      if (this.stopped) return;
      this.chunk = n;
    }
  }

  /** Writes `body` to `out` from byte `skip` on, counting what it writes; closes `body` whatever happens. */
  private async writeFrom(body: Readable, skip: number): Promise<void> {
    let toSkip = skip;
    try {
      for await (const piece of body as AsyncIterable<Buffer>) {
        if (this.stopped) return;
        let bytes = piece;
        if (toSkip > 0) {
          const dropped = Math.min(toSkip, bytes.length);
          toSkip -= dropped;
          bytes = bytes.subarray(dropped);
          if (bytes.length === 0) continue;
        }
        this.sent += bytes.length;
        if (!this.out.write(bytes)) await this.drained();
      }
    } finally {
      body.destroy();
    }
  }

  /**
   * Waits until `out` can take more. A client that went away never drains it:
   * fastify destroys the stream (it closes, without 'drain' or 'error'), which
   * aborts `stop`, which ends this wait.
   */
  private async drained(): Promise<void> {
    if (this.stopped) return;
    await once(this.out, 'drain', { signal: this.stop.signal }).catch(() => undefined);
  }

  /**
   * Follows the attempt's pod's main container through the Kubernetes API.
   * Returns undefined when the pod could not be followed at all (gone before
   * it was seen, e.g. a quick step whose pod was already deleted).
   *
   * @throws the Kubernetes client's error when the API server fails (the caller follows the store instead).
   */
  private async followPod(): Promise<FollowOutcome | undefined> {
    const kube = this.deps.kube;
    if (!kube) return undefined;
    // Loaded on first use: the Kubernetes client is large and ESM-only.
    const { followContainerLog, podIdentity, statusOf } = await import('@kiln/kube');
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
      if (this.stopped) return 'client-gone';
      if (Date.now() > this.deadline) return this.writeStoppedFollowing();
      const pod = await kube.core.readNamespacedPod({ namespace: kube.namespace, name }).catch((error: unknown) => {
        if (statusOf(error) === 404) return undefined;
        throw error;
      });
      if (pod) break;
      if ((await this.deps.store.exists(this.target.key)) || (await this.ended())) return undefined;
      await sleep(this.pollMs, this.stop.signal);
    }
    // followContainerLog waits whenever this is full, so a slow client holds the pod's log stream back instead of buffering it here.
    const toClient = new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        this.podBytes += chunk.length;
        if (this.out.write(chunk)) done();
        else void this.drained().then(() => done());
      },
    });
    const podStop = new AbortController();
    const onStop = () => podStop.abort();
    this.stop.signal.addEventListener('abort', onStop, { once: true });
    const timer = setTimeout(onStop, Math.max(0, this.deadline - Date.now()));
    try {
      await followContainerLog({
        kc: kube.kc,
        core: kube.core,
        namespace: kube.namespace,
        name,
        out: toClient,
        signal: podStop.signal,
        recheckMs: 5_000,
      });
    } finally {
      clearTimeout(timer);
      this.stop.signal.removeEventListener('abort', onStop);
    }
    if (this.stopped) return 'client-gone';
    if (podStop.signal.aborted) return this.writeStoppedFollowing();
    return this.podBytes > 0 ? 'pod-log' : undefined;
  }
}

/** Waits `ms`, or less if `signal` aborts (then resolves too: the caller checks why it woke). */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return delay(ms, undefined, signal ? { signal } : {}).catch(() => undefined);
}
