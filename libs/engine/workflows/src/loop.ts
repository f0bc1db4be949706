/**
 * parallelFor. Items are resolved at run time (a literal list, a parameter or an
 * upstream output); `parallelism` caps concurrent iterations; each iteration's
 * results are stored at its index, so `collected` keeps item order whatever order
 * iterations finish in.
 *
 * Loops longer than `loopBatchSize` run in child workflows, a slice of
 * iterations each, so the run's own history grows with the number of batches,
 * not of steps (Temporal: 51,200 events and 2,000 pending activities per
 * workflow). Children return compacted results: only the outputs some
 * `collected` binding reads, and summary status entries.
 */
import type { JsonValue, LoopNode } from '@kiln/ir';
import { executeChild, isCancellation } from '@temporalio/workflow';
import type { DagEnv, ExecutionContext } from './context';
import { runDag } from './dag';
import type { LoopBatchInput, LoopBatchResult } from './loop-batch-types';
import { combine, type Outcome } from './outcome';
import type { Scope, ScopeResult } from './scope';
import { Semaphore } from './semaphore';
import { markDag } from './skip';
import { slimSnapshot, slimSpec } from './slim';
import { recordFailure } from './step-support';

export async function runLoop(
  ctx: ExecutionContext,
  id: string,
  node: LoopNode,
  scope: Scope,
  env: DagEnv,
): Promise<Outcome> {
  const resolved = scope.resolve(node.items);
  const items: JsonValue | undefined = resolved.ok ? resolved.value.value : undefined;
  if (!resolved.ok || !Array.isArray(items)) {
    const why = resolved.ok ? `items are not a list: ${JSON.stringify(items).slice(0, 200)}` : resolved.reason;
    markDag(ctx, node.body, scope, `loop "${id}": ${why}`);
    const entry = ctx.recorder.add(scope.taskPath(id), 'loop', id, scope.iteration);
    recordFailure(ctx, entry, env, `loop "${id}" cannot run: ${why}`);
    return 'failed';
  }
  const parallelism = Math.max(1, Math.min(node.parallelism ?? ctx.run.parallelism, ctx.run.parallelism));
  if (items.length > ctx.run.loopBatchSize) return runInBatches(ctx, id, node, items, parallelism, scope, env);

  const results: (ScopeResult | null)[] = items.map(() => null);
  const gate = new Semaphore(parallelism);
  const outcomes = await Promise.all(
    items.map((item, index) =>
      gate.with(async () => {
        const iterScope = scope.iterationScope(id, index, items.length, item);
        const outcome = await runDag(ctx, node.body, iterScope, env);
        results[index] = iterScope.result();
        return outcome;
      }),
    ),
  );
  scope.loops.set(id, results);
  return combine(outcomes);
}

async function runInBatches(
  ctx: ExecutionContext,
  id: string,
  node: LoopNode,
  items: JsonValue[],
  parallelism: number,
  scope: Scope,
  env: DagEnv,
): Promise<Outcome> {
  const where = scope.iteration.length ? `-${scope.iteration.join('-')}` : '';
  const { outcome, results } = await runBatches(ctx, {
    loopId: id,
    node,
    items,
    offset: 0,
    total: items.length,
    parallelism,
    snapshot: slimSnapshot(scope.snapshot(ctx.taggedValues), node),
    spec: slimSpec(ctx.spec, id, node),
    env,
    // Qualified: two sub-pipeline tasks (or the root and a sub-pipeline) may hold loops of the same id.
    idPrefix: `${ctx.run.workflowId}--${scope.taskPath(id)}${where}`,
    loopPath: scope.taskPath(id),
  });
  scope.loops.set(id, results);
  return outcome;
}

export interface BatchesArgs {
  loopId: string;
  /** The loop's run-wide id (`Scope.taskPath`), for the children's summaries. */
  loopPath: string;
  node: LoopNode;
  /** The items to run, starting at index `offset` of the whole loop. */
  items: JsonValue[];
  offset: number;
  total: number;
  parallelism: number;
  snapshot: LoopBatchInput['scope'];
  spec: LoopBatchInput['spec'];
  env: DagEnv;
  /** Child workflow ids are `<idPrefix>-b<n>`. */
  idPrefix: string;
}

/**
 * Runs `items` in `kilnLoopBatch` children of at most `loopBatchSize` iterations
 * each — or, past `loopFanout` batches, in bigger slices that the children
 * split again, so no workflow's history grows past `loopFanout` children whatever the
 * loop's size.
 */
export async function runBatches(
  ctx: ExecutionContext,
  args: BatchesArgs,
): Promise<{ outcome: Outcome; results: (ScopeResult | null)[] }> {
  const { items, env } = args;
  const slice = Math.max(ctx.run.loopBatchSize, Math.ceil(items.length / ctx.run.loopFanout));
  const batches: { start: number; items: JsonValue[] }[] = [];
  for (let at = 0; at < items.length; at += slice) batches.push({ start: at, items: items.slice(at, at + slice) });
  // Split the loop's parallelism between concurrent children and iterations inside each.
  const perChild = Math.min(args.parallelism, slice);
  const gate = new Semaphore(Math.max(1, Math.ceil(args.parallelism / perChild)));
  const results: (ScopeResult | null)[] = items.map(() => null);

  const outcomes = await Promise.all(
    batches.map((batch, b) =>
      gate.with(async (): Promise<Outcome> => {
        if (!env.cleanup && (ctx.cancelRequested || ctx.failFastTriggered)) {
          return ctx.cancelRequested ? 'cancelled' : 'upstreamFailed';
        }
        const first = args.offset + batch.start;
        const input: LoopBatchInput = {
          spec: args.spec,
          run: { ...ctx.run, parallelism: perChild },
          loopId: args.loopId,
          start: first,
          total: args.total,
          items: batch.items,
          scope: args.snapshot,
          cleanup: env.cleanup,
          keepTasks: [...ctx.collectedTasks],
        };
        let result: LoopBatchResult;
        try {
          result = await executeChild('kilnLoopBatch', {
            args: [input],
            workflowId: `${args.idPrefix}-b${b}`,
            staticSummary: `${ctx.run.pipelineName}: loop ${args.loopPath} items ${first + 1}-${first + batch.items.length} of ${args.total}`,
          });
        } catch (error) {
          if (isCancellation(error)) return 'cancelled';
          throw error;
        }
        result.iterations.forEach((r, i) => (results[batch.start + i] = r));
        ctx.recorder.merge(result.tasks);
        for (const failed of result.failedTasks) {
          ctx.failedTasks.push(failed);
          for (const sink of env.failureSinks) sink.push(failed);
        }
        if (result.failedTasks.length && ctx.run.failFast) ctx.failFastTriggered = true;
        return result.outcome;
      }),
    ),
  );
  return { outcome: combine(outcomes), results };
}
