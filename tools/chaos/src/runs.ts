/**
 * Starting soak runs and waiting for them through the faults: every call to Temporal is retried
 * while the dev server is down, and a run is started under a workflow id chosen here, so a start
 * whose answer was lost to a restart is recognised rather than started twice.
 */
import { Client, WorkflowExecutionAlreadyStartedError, WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { startPipelineRun } from '@kiln/engine-client';
import { statusQuery, type RunOptions, type RunStatusDocument } from '@kiln/engine-contract';
import type { PipelineSpec } from '@kiln/ir';
import type { ChaosParams } from './pipeline';

const shardNames = ['north', 'south', 'east'];

/**
 * The parameters of run `index`: random sizes and branches, and every fifth run (index 2, 7, 12…)
 * asks its last step to fail, so some runs must end FAILED.
 */
export function paramsFor(index: number, random: () => number): ChaosParams {
  const pick = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  return {
    seed: `run${index}`,
    rows: pick(1, 6),
    shards: shardNames.slice(0, pick(1, shardNames.length)),
    threshold: pick(2, 5),
    napSeconds: pick(0, 3),
    fail: index % 5 === 2,
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Retries `call` every second until it succeeds or `deadline` (epoch ms) passes; then rethrows. */
async function whileServerReturns<T>(what: string, deadline: number, call: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await call();
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${what}: still failing at the deadline: ${(error as Error).message}`);
      await sleep(1_000);
    }
  }
}

/** Starts one run under `workflowId`; a start that already happened (its answer lost to a restart) counts. */
export async function startRun(
  client: Client,
  o: {
    taskQueue: string;
    spec: PipelineSpec;
    workflowId: string;
    params: ChaosParams;
    options: RunOptions;
    deadline: number;
  },
): Promise<void> {
  await whileServerReturns(`starting ${o.workflowId}`, o.deadline, async () => {
    try {
      await startPipelineRun(client, {
        taskQueue: o.taskQueue,
        spec: o.spec,
        workflowId: o.workflowId,
        params: { ...o.params },
        options: o.options,
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  });
}

/** How a run ended: its status document, or why there is none. */
export type RunEnd = { doc: RunStatusDocument; workflowStatus: string } | { missing: string };

/**
 * Waits until the run's workflow closes (polling `describe`, which survives server restarts where a
 * long poll may not), then reads its final status document; terminates it if `deadline` passes first.
 */
export async function awaitRun(client: Client, workflowId: string, deadline: number): Promise<RunEnd> {
  const handle = client.workflow.getHandle(workflowId);
  let status = 'RUNNING';
  while (status === 'RUNNING') {
    if (Date.now() > deadline) {
      await handle.terminate('chaos soak: run still going at its deadline').catch(() => undefined);
      return { missing: 'still running at the deadline (terminated)' };
    }
    status = await handle
      .describe()
      .then((d) => d.status.name)
      .catch(() => 'RUNNING');
    if (status === 'RUNNING') await sleep(2_000);
  }
  const doc = await whileServerReturns(`reading the result of ${workflowId}`, Date.now() + 120_000, () =>
    finalDocument(client, workflowId),
  );
  return doc ? { doc, workflowStatus: status } : { missing: `workflow ${status} without a status document` };
}

async function finalDocument(client: Client, workflowId: string): Promise<RunStatusDocument | undefined> {
  const handle = client.workflow.getHandle(workflowId);
  try {
    return (await handle.result()) as RunStatusDocument;
  } catch (error) {
    if (!(error instanceof WorkflowFailedError)) throw error;
    const cause = error.cause;
    const fromFailure =
      cause instanceof ApplicationFailure ? (cause.details?.[0] as RunStatusDocument | undefined) : undefined;
    return fromFailure ?? (await handle.query(statusQuery).catch(() => undefined));
  }
}
