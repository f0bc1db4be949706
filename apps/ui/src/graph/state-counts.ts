/**
 * Counting task instances by state from a run status document, batched loops
 * included. A loop run in child-workflow batches leaves one summary entry per
 * body task (`batched.counts`) plus an entry of its own for every failed or
 * cancelled iteration, which the summary counts too: failed and cancelled are
 * therefore counted from the entries, every other state from the summaries.
 */
import type { TaskState, TaskStatus } from '@kiln/engine-contract';

export type StateCounts = Record<TaskState, number>;

/** Display order, most alarming first (the engine's severity, reversed). */
export const taskStates: readonly TaskState[] = [
  'failed',
  'cancelled',
  'running',
  'pending',
  'skipped',
  'cached',
  'succeeded',
];

export function emptyCounts(): StateCounts {
  return { pending: 0, running: 0, succeeded: 0, failed: 0, skipped: 0, cached: 0, cancelled: 0 };
}

/** Adds one task id's entries (all its instances) to `into`. */
export function addEntries(into: StateCounts, entries: readonly TaskStatus[]): StateCounts {
  for (const entry of entries) {
    if (!entry.batched) {
      into[entry.state]++;
      continue;
    }
    for (const state of taskStates) {
      if (state === 'failed' || state === 'cancelled') continue;
      into[state] += entry.batched.counts[state] ?? 0;
    }
  }
  return into;
}

export function addCounts(into: StateCounts, more: StateCounts): StateCounts {
  for (const state of taskStates) into[state] += more[state];
  return into;
}

export function totalOf(counts: StateCounts): number {
  return taskStates.reduce((sum, state) => sum + counts[state], 0);
}

/** The state a group of instances shows: the most alarming one present, or undefined for none. */
export function worstState(counts: StateCounts): TaskState | undefined {
  return taskStates.find((state) => counts[state] > 0);
}

/**
 * Every task instance of a run by state: the per-state summary for big runs.
 *
 * @example
 * ```ts
 * runStateCounts(doc); // { succeeded: 9996, failed: 3, running: 1, pending: 0, ... }
 * ```
 */
export function runStateCounts(tasks: readonly TaskStatus[]): StateCounts {
  return addEntries(emptyCounts(), tasks);
}

/** The entries of each task id, in document order. */
export function entriesById(tasks: readonly TaskStatus[]): Map<string, TaskStatus[]> {
  const byId = new Map<string, TaskStatus[]>();
  for (const task of tasks) {
    const list = byId.get(task.id);
    if (list) list.push(task);
    else byId.set(task.id, [task]);
  }
  return byId;
}
