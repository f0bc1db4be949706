/** Small helpers shared by the task runners. */
import type { TaskStatus } from '@kiln/engine-contract';
import type { DagEnv, ExecutionContext } from './context';
import { Recorder } from './recorder';

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
