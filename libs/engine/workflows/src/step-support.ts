/** Small helpers shared by the task runners. */
import type { TaskStatus } from '@kiln/engine-contract';
import type { DagEnv, ExecutionContext } from './context';
import { Recorder } from './recorder';

/**
 * Where an output of one attempt goes. Chosen by the workflow, per attempt, so a
 * retry never overwrites what an earlier attempt wrote and a crash never loses track.
 * `entry.id` is the task's path (`inner-pipeline/print-op1` inside a sub-pipeline),
 * so a sub-pipeline task never writes where an outer task of the same id does.
 */
export function artifactUri(ctx: ExecutionContext, entry: TaskStatus, attempt: number, output: string): string {
  const where = entry.iteration?.length ? `${entry.id}/iter-${entry.iteration.join('-')}` : entry.id;
  return `${ctx.run.artifactRoot}/runs/${ctx.run.runId}/${where}/attempt-${attempt}/${output}`;
}

/** Marks a task failed and tells the run, failFast and every enclosing exit handler. */
export function recordFailure(
  ctx: ExecutionContext,
  entry: TaskStatus,
  env: DagEnv,
  error: string,
  patch: Partial<TaskStatus> = {},
): void {
  ctx.recorder.set(entry, 'failed', { ...patch, error });
  const key = Recorder.key(entry.id, entry.iteration ?? []);
  ctx.failedTasks.push(key);
  for (const sink of env.failureSinks) sink.push(key);
  if (ctx.run.failFast && !ctx.failFastTriggered) {
    ctx.failFastTriggered = true;
    // Stop the other running steps at once; exit handlers still run.
    for (const running of ctx.running) running.cancel();
  }
}
