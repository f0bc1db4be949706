/**
 * Exit handlers: the exit DAG runs after the body whatever happened — failure,
 * failFast or cancellation — with the body's final status bindable as
 * `finalStatus`. It runs in a non-cancellable scope so that cancelling the run
 * cannot stop the cleanup it exists for.
 */
import type { ExitHandlerNode, FinalStatusValue } from '@kiln/ir';
import { CancellationScope } from '@temporalio/workflow';
import type { DagEnv, ExecutionContext } from './context';
import { runDag } from './dag';
import { combine, type Outcome } from './outcome';
import type { Scope } from './scope';
import { hasPatch } from './patches';

/** Final status values name their exit handler (`group`, KFP's `pipelineTaskName`): exit tasks' inputs change. */
export const FINAL_STATUS_GROUP_PATCH = 'kiln-final-status-group';

export async function runExitHandler(
  ctx: ExecutionContext,
  id: string,
  node: ExitHandlerNode,
  scope: Scope,
  env: DagEnv,
): Promise<Outcome> {
  const failures: string[] = [];
  const bodyOutcome = await runDag(ctx, node.body, scope, { ...env, failureSinks: [...env.failureSinks, failures] });
  const state: FinalStatusValue['state'] =
    failures.length > 0 || bodyOutcome === 'failed' || ctx.timedOut
      ? 'FAILED'
      : ctx.cancelRequested || bodyOutcome === 'cancelled'
        ? 'CANCELLED'
        : 'SUCCEEDED';
  const finalStatus: FinalStatusValue = {
    state,
    runId: ctx.run.runId,
    pipelineName: ctx.run.pipelineName,
    failedTasks: failures,
    ...(state === 'FAILED' ? { error: ctx.timedOut ? 'run timed out' : `failed tasks: ${failures.join(', ')}` } : {}),
    ...(state === 'CANCELLED' ? { error: 'run cancelled' } : {}),
    ...(hasPatch(FINAL_STATUS_GROUP_PATCH) && { group: scope.taskPath(id) }),
  };
  const exitOutcome = await CancellationScope.nonCancellable(() =>
    runDag(ctx, node.exit, scope.exitScope(finalStatus), { ...env, cleanup: true }),
  );
  return combine([bodyOutcome, exitOutcome]);
}
