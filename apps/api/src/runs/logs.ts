/**
 * A step's log. Executors save each attempt's log to the store at
 * `executions/<executionKey>/log.txt` when the attempt ends (the local
 * launcher) or before the pod is deleted (Kubernetes). While the step still
 * runs, `follow` waits for the log to land and then streams it; live tailing
 * of a running step's output is not available through the API yet.
 */
import { logKey } from '@kiln/launcher';
import type { TaskStatus } from '@kiln/engine';
import type { Readable } from 'node:stream';
import type { ApiDeps } from '../deps';
import { ApiError, notFound } from '../errors';
import { describeRun, getRun, queryStatus } from './get';

export interface LogRequest {
  runId: string;
  taskId: string;
  /** Loop indices, outermost first; absent outside loops. */
  iteration?: number[];
  /** 1-based; default the latest attempt. */
  attempt?: number;
  /** Wait (up to `waitMs`) for a running step's log. */
  follow: boolean;
  waitMs: number;
  signal?: AbortSignal;
}

const sameIteration = (a: number[] | undefined, b: number[] | undefined) => (a ?? []).join(',') === (b ?? []).join(',');

/** Execution key of an attempt, as the interpreter makes it. */
export function executionKey(runId: string, taskId: string, iteration: number[] | undefined, attempt: number): string {
  return `${runId}.${taskId}${iteration?.length ? `.${iteration.join('-')}` : ''}.${attempt}`;
}

/**
 * @example
 * ```ts
 * const { stream } = await openStepLog(deps, { runId, taskId: 'train', follow: true, waitMs: 600_000 });
 * stream.pipe(process.stdout);
 * ```
 */
export async function openStepLog(deps: ApiDeps, req: LogRequest): Promise<{ stream: Readable; key: string; attempt: number }> {
  const run = await getRun(deps, req.runId);
  const task = findTask(run.tasks, req.taskId, req.iteration);
  const attempt = req.attempt ?? Math.max(1, task.attempts);
  if (attempt > Math.max(1, task.attempts)) throw notFound(`task ${req.taskId} has ${task.attempts} attempt(s); there is no attempt ${attempt}`);
  const key = logKey(executionKey(run.runId, req.taskId, req.iteration, attempt));
  const deadline = Date.now() + req.waitMs;
  for (;;) {
    if (await deps.store.exists(key)) return { stream: await deps.store.get(key), key, attempt };
    const current = await currentTask(deps, req);
    const stillRunning = current?.state === 'running' || current?.state === 'pending';
    if (!stillRunning && attempt >= (current?.attempts ?? 0)) {
      // One last look: the step may have ended between the two checks.
      if (await deps.store.exists(key)) return { stream: await deps.store.get(key), key, attempt };
      throw notFound(`no saved log for task ${req.taskId} attempt ${attempt} (state ${current?.state ?? task.state}; cached and skipped steps have no log)`);
    }
    if (!req.follow) {
      throw new ApiError(404, 'not-found', `task ${req.taskId} attempt ${attempt} is still running and its log is saved when it ends; add ?follow=true to wait for it`);
    }
    if (Date.now() > deadline || req.signal?.aborted) throw new ApiError(404, 'not-found', `task ${req.taskId} attempt ${attempt} did not finish within the wait`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

function findTask(tasks: TaskStatus[], taskId: string, iteration: number[] | undefined): TaskStatus {
  const task = tasks.find((t) => t.id === taskId && !t.batched && sameIteration(t.iteration, iteration));
  if (!task) {
    const known = [...new Set(tasks.map((t) => t.id))].join(', ');
    throw notFound(`task ${taskId}${iteration?.length ? ` [${iteration.join(',')}]` : ''} is not in the run (tasks: ${known || 'none yet'})`);
  }
  return task;
}

async function currentTask(deps: ApiDeps, req: LogRequest): Promise<TaskStatus | undefined> {
  const { handle, description } = await describeRun(deps, req.runId);
  if (description.status.name !== 'RUNNING') return (await getRun(deps, req.runId)).tasks.find((t) => t.id === req.taskId && sameIteration(t.iteration, req.iteration));
  const doc = await queryStatus(deps, handle);
  return doc?.tasks.find((t) => t.id === req.taskId && sameIteration(t.iteration, req.iteration));
}
