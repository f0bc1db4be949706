/**
 * `kilnLoopBatch`: runs a slice of one loop's iterations for its parent run
 * (see `loop.ts`). Not started by users. It always completes normally with
 * compacted results, so the parent sees failures as data and keeps the order.
 */
import type { LoopNode } from '@kiln/ir';
import { setHandler, workflowInfo } from '@temporalio/workflow';
import { statusQuery } from '@kiln/engine-contract';
import type { RunStatusDocument } from '@kiln/engine-contract';
import type { DagEnv } from './context';
import { runDag } from './dag';
import { legacyCollectPaths } from './collect-paths';
import { createContext, findNode } from './execution';
import type { LoopBatchInput, LoopBatchResult } from './loop-batch-types';
import { combine, type Outcome } from './outcome';
import { Scope, type ScopeResult } from './scope';
import { runBatches } from './loop';
import { Semaphore } from './semaphore';

export async function kilnLoopBatch(input: LoopBatchInput): Promise<LoopBatchResult> {
  const node = findNode(input.spec, input.loopId);
  if (!node || node.type !== 'loop') throw new Error(`loop "${input.loopId}" not found in the pipeline`);
  const loop: LoopNode = node;
  const last = input.start + input.items.length;
  const loopPath = `${input.scope.taskPrefix ?? ''}${input.loopId}`;
  const ctx = createContext(
    input.spec,
    input.run,
    `${input.run.pipelineName}: loop ${loopPath} [${input.start + 1}-${last}/${input.total}]`,
  );
  // The slim spec lacks the tasks outside the loop that read its fan-in: take the parent's list.
  ctx.collectedTasks = new Set(input.keepTasks);
  const startedAt = new Date().toISOString();
  setHandler(statusQuery, (): RunStatusDocument => ({
    runId: input.run.runId,
    workflowId: workflowInfo().workflowId,
    pipeline: { name: input.run.pipelineName, digest: input.run.pipelineDigest },
    params: input.run.params,
    state: 'RUNNING',
    startedAt,
    tasks: ctx.recorder.tasks(),
  }));

  // The slim spec's root is this loop alone: the body's collect paths come in the snapshot (see
  // `slimSnapshot`), except from runs started before the patch, which look them up the old way.
  if (!input.scope.collectPaths) ctx.collectPaths = legacyCollectPaths(input.spec);
  // Children of parents started before the patch get untagged parameters, and pass them on as they came.
  ctx.taggedValues = input.scope.values !== undefined;
  const declared = input.scope.component === undefined ? undefined : input.spec.components[input.scope.component];
  const outer = Scope.fromSnapshot(input.scope, ctx.collectPaths, (name) => declared?.inputs[name]?.kind ?? 'param');
  const keep = new Set(input.keepTasks);
  const env: DagEnv = { cleanup: input.cleanup, failureSinks: [] };
  if (input.items.length > input.run.loopBatchSize) {
    // A slice too big for one workflow (loops over `loopFanout` batches): split it again.
    const { outcome, results } = await runBatches(ctx, {
      loopId: input.loopId,
      loopPath,
      node: loop,
      items: input.items,
      offset: input.start,
      total: input.total,
      parallelism: input.run.parallelism,
      snapshot: input.scope,
      spec: input.spec,
      env,
      idPrefix: workflowInfo().workflowId,
    });
    return {
      outcome,
      iterations: results,
      tasks: ctx.recorder.compact(workflowInfo().workflowId),
      failedTasks: ctx.failedTasks,
    };
  }
  const gate = new Semaphore(input.run.parallelism);
  const iterations: (ScopeResult | null)[] = input.items.map(() => null);
  const outcomes: Outcome[] = await Promise.all(
    input.items.map((item, i) =>
      gate.with(async () => {
        const iterScope = outer.iterationScope(input.loopId, input.start + i, input.total, item);
        const outcome = await runDag(ctx, loop.body, iterScope, env);
        iterations[i] = iterScope.result(keep);
        return outcome;
      }),
    ),
  );
  return {
    outcome: combine(outcomes),
    iterations,
    tasks: ctx.recorder.compact(workflowInfo().workflowId),
    failedTasks: ctx.failedTasks,
  };
}
