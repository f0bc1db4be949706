/**
 * Finding a task and its output artifacts in a run status document: what log
 * and artifact reads start from, on the API and in the client alike. Pure.
 */
import type { ArtifactRef } from '@kiln/engine-contract';
import type { RunStatusDocument, TaskStatus } from '@kiln/engine-contract';
import type { runArtifactSchema } from '@kiln/engine-contract/schemas';
import type { z } from 'zod';
import { KilnRequestError } from './errors';

const sameIteration = (a: readonly number[] | undefined, b: readonly number[] | undefined) =>
  (a ?? []).join(',') === (b ?? []).join(',');

/** The task entry for `taskId` at `iteration` (outside loops: none), or undefined. Batched loop summaries are not tasks. */
export function taskOf(
  run: Pick<RunStatusDocument, 'tasks'>,
  taskId: string,
  iteration?: readonly number[],
): TaskStatus | undefined {
  return run.tasks.find((t) => t.id === taskId && !t.batched && sameIteration(t.iteration, iteration));
}

/**
 * The task entry, or a `not-found` naming the tasks the run has.
 * @throws KilnRequestError
 */
export function requireTask(
  run: Pick<RunStatusDocument, 'runId' | 'tasks'>,
  taskId: string,
  iteration?: readonly number[],
): TaskStatus {
  const task = taskOf(run, taskId, iteration);
  if (!task) {
    const known = [...new Set(run.tasks.map((t) => t.id))].join(', ');
    throw new KilnRequestError(
      'not-found',
      `task ${taskId}${iteration?.length ? ` [${iteration.join(',')}]` : ''} is not in run ${run.runId} (tasks: ${known || 'none yet'})`,
    );
  }
  return task;
}

/** One output artifact of one task of a run: its reference, task, iteration (loop indices, absent outside loops) and output name. */
export type RunArtifact = z.infer<typeof runArtifactSchema>;

/**
 * Every output artifact the run's tasks recorded so far, in task order.
 *
 * @example
 * ```ts
 * for (const a of runArtifacts(run)) console.log(a.taskId, a.output, a.uri, a.digest);
 * ```
 */
export function runArtifacts(run: Pick<RunStatusDocument, 'tasks'>): RunArtifact[] {
  const found: RunArtifact[] = [];
  for (const task of run.tasks) {
    if (task.batched) continue;
    for (const [output, ref] of Object.entries(task.outputs.artifacts)) {
      found.push({ taskId: task.id, ...(task.iteration?.length ? { iteration: task.iteration } : {}), output, ...ref });
    }
  }
  return found;
}

/**
 * A task's output artifact, or a `not-found` that says which outputs the task has.
 * @throws KilnRequestError
 */
export function requireOutputArtifact(
  run: Pick<RunStatusDocument, 'runId' | 'tasks'>,
  ref: { taskId: string; output: string; iteration?: readonly number[] },
): ArtifactRef {
  const task = requireTask(run, ref.taskId, ref.iteration);
  const artifact = task.outputs.artifacts[ref.output];
  if (!artifact) {
    const names = Object.keys(task.outputs.artifacts);
    throw new KilnRequestError(
      'not-found',
      `task ${ref.taskId} has no output artifact ${ref.output} (${task.state}; outputs: ${names.join(', ') || 'none'})`,
    );
  }
  return artifact;
}
