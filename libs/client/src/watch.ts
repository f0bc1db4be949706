/**
 * Watching a run by polling its status document: both transports answer the
 * same document, so one loop serves both. Polling (not a long-lived stream)
 * survives server restarts and proxies, and a status document is small.
 */
import type { TaskState, TaskStatus } from '@kiln/engine-client';
import { setTimeout as delay } from 'node:timers/promises';
import { KilnApiError } from './errors';
import type { RunDetails, RunUpdate, TaskChange, WatchOptions } from './resources';

const terminal = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

/**
 * Whether the run has ended for good. The status query answers a final state
 * a moment before the workflow closes, so Temporal's status must agree when known.
 */
export function isFinal(run: RunDetails): boolean {
  return terminal.has(run.state) && (run.temporal === undefined || run.temporal.status !== 'RUNNING');
}

const taskKey = (t: Pick<TaskStatus, 'id' | 'iteration' | 'batched'>) =>
  `${t.id}[${t.batched ? 'batched' : (t.iteration ?? []).join(',')}]`;

/** The tasks whose state differs between two documents (all of `next`'s when there is no `previous`). */
export function taskChanges(previous: Map<string, TaskState>, next: RunDetails): TaskChange[] {
  const changes: TaskChange[] = [];
  for (const task of next.tasks) {
    const from = previous.get(taskKey(task));
    if (from === task.state) continue;
    changes.push({
      id: task.id,
      ...(task.iteration?.length ? { iteration: task.iteration } : {}),
      ...(from ? { from } : {}),
      to: task.state,
    });
  }
  return changes;
}

/**
 * Polls `get` and yields an update whenever the document changes, ending after
 * the update that shows the run ended (or when `signal` aborts).
 * A `not-found` right after start is retried briefly: visibility can lag.
 */
export async function* watchRun(get: () => Promise<RunDetails>, options: WatchOptions = {}): AsyncGenerator<RunUpdate> {
  const interval = options.intervalMs ?? 1000;
  const states = new Map<string, TaskState>();
  let last = '';
  let misses = 0;
  while (!options.signal?.aborted) {
    let run: RunDetails;
    try {
      run = await get();
      misses = 0;
    } catch (error) {
      // Transient: the server restarted, or a just-started run is not visible yet.
      const transient =
        error instanceof KilnApiError && (error.retryable || (error.code === 'not-found' && last === ''));
      if (!transient || ++misses > 30) throw error;
      await sleep(interval, options.signal);
      continue;
    }
    const final = isFinal(run);
    const fingerprint = JSON.stringify([run.state, run.error, run.finishedAt, run.tasks, final]);
    if (fingerprint !== last) {
      last = fingerprint;
      const changes = taskChanges(states, run);
      for (const task of run.tasks) states.set(taskKey(task), task.state);
      yield { run, changes, final };
    }
    if (final) return;
    await sleep(interval, options.signal);
  }
}

/** Waits `ms`, or less if `signal` aborts (then resolves too: the loop checks why it woke). */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return delay(ms, undefined, signal ? { signal } : {}).catch(() => undefined);
}
