/**
 * The hand-written baseline of the engine benchmark: a minimal Temporal workflow
 * that calls one activity `n` times in sequence, the activity spawning the same
 * no-op process as Kiln's steps. Workflow code only (bundled by the worker).
 */
import { executeChild, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { HandActivities } from './hand-activity';

const { spawnNoop } = proxyActivities<HandActivities>({ startToCloseTimeout: '1 minute' });

/** Returns the summed time the no-op processes ran, as each activity measured it (spawn to exit). */
export async function handChain(n: number, command: string): Promise<{ steps: number; insideMs: number }> {
  let insideMs = 0;
  for (let i = 0; i < n; i++) insideMs += await spawnNoop(command);
  return { steps: n, insideMs };
}

/** One `handLoopBatch` child's answer: how many no-op processes it ran and their summed spawn→exit time. */
export interface HandBatchResult {
  steps: number;
  insideMs: number;
}

/**
 * The hand-written reference for Kiln's big loops: `n` no-op activities in child workflows of
 * `batchSize` each, split the way Kiln splits a loop (`runBatches` in libs/engine/workflows/src/loop.ts):
 * at most `parallelism` activities in flight in all, `min(parallelism, batchSize)` per child, and as many
 * children at once as that leaves room for.
 */
export async function handLoop(
  n: number,
  batchSize: number,
  parallelism: number,
  command: string,
): Promise<HandBatchResult> {
  const perChild = Math.min(parallelism, batchSize);
  const batches = Math.ceil(n / batchSize);
  let next = 0;
  const total: HandBatchResult = { steps: 0, insideMs: 0 };
  const runChildren = async () => {
    while (next < batches) {
      const b = next++;
      const count = Math.min(batchSize, n - b * batchSize);
      const r = await executeChild(handLoopBatch, {
        args: [count, perChild, command],
        workflowId: `${workflowInfo().workflowId}-b${b}`,
      });
      total.steps += r.steps;
      total.insideMs += r.insideMs;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.ceil(parallelism / perChild)) }, runChildren));
  return total;
}

/** One batch: `count` no-op activities, at most `parallelism` at once. */
export async function handLoopBatch(count: number, parallelism: number, command: string): Promise<HandBatchResult> {
  let next = 0;
  const result: HandBatchResult = { steps: 0, insideMs: 0 };
  const lane = async () => {
    while (next < count) {
      next++;
      result.insideMs += await spawnNoop(command);
      result.steps++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallelism, count) }, lane));
  return result;
}
