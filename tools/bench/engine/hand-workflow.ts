/**
 * The hand-written baseline of the engine benchmark: a minimal Temporal workflow
 * that calls one activity `n` times in sequence, the activity spawning the same
 * no-op process as Kiln's steps. Workflow code only (bundled by the worker).
 */
import { proxyActivities } from '@temporalio/workflow';
import type { HandActivities } from './hand-activity';

const { spawnNoop } = proxyActivities<HandActivities>({ startToCloseTimeout: '1 minute' });

/** Returns the summed time the no-op processes ran, as each activity measured it (spawn to exit). */
export async function handChain(n: number, command: string): Promise<{ steps: number; insideMs: number }> {
  let insideMs = 0;
  for (let i = 0; i < n; i++) insideMs += await spawnNoop(command);
  return { steps: n, insideMs };
}
