/**
 * A step's cache (DESIGN.md section 4): looked up before it runs (the activity
 * computes the fingerprint), a hit recorded as the task's result; a success
 * saved under the fingerprint afterwards.
 */
import type { Component, TaskNode } from '@kiln/ir';
import { CancellationScope } from '@temporalio/workflow';
import type { StepResult, TaskStatus } from '@kiln/engine-contract';
import { storeActivities } from './activities';
import type { ExecutionContext } from './context';
import { mapValues, outputsOf } from './step-request';
import type { ResolvedInputs } from './task';

/** A hit (recorded as the task's result), or a miss with the fingerprint to save the result under. */
export type CacheLookup = { hit: true } | { hit: false; fingerprint?: string };

/**
 * Looks the step up in the cache, unless the run or the task turned caching off; records a hit as
 * the task's state `cached`.
 */
export async function lookUpCache(
  ctx: ExecutionContext,
  node: TaskNode,
  component: Component,
  entry: TaskStatus,
  inputs: ResolvedInputs,
): Promise<CacheLookup> {
  const caching = node.settings.caching;
  if (!ctx.run.cache || caching?.enabled === false) return { hit: false };
  const outputTypes = outputsOf(component);
  const lookup = await storeActivities.lookupCache({
    pipelineName: ctx.run.pipelineName,
    taskId: entry.id,
    component,
    inputs,
    outputs: { params: outputTypes.params, artifacts: mapValues(outputTypes.artifacts, (type) => ({ type })) },
    ...(caching?.key !== undefined ? { key: caching.key } : {}),
    ...(caching?.maxStalenessSeconds !== undefined ? { maxStalenessSeconds: caching.maxStalenessSeconds } : {}),
  });
  if (!lookup.hit) return { hit: false, fingerprint: lookup.fingerprint };
  ctx.recorder.set(entry, 'cached', {
    cached: true,
    startedAt: new Date().toISOString(),
    outputs: lookup.hit.result.outputs,
    exitCode: lookup.hit.result.exitCode,
    reason: `cache hit from run ${lookup.hit.runId}`,
  });
  return { hit: true };
}

/** Saves a step's result under its fingerprint. Bookkeeping: a cancelled run still records what it finished. */
export async function saveToCache(
  ctx: ExecutionContext,
  entry: TaskStatus,
  fingerprint: string,
  result: StepResult,
): Promise<void> {
  await CancellationScope.nonCancellable(() =>
    storeActivities.saveCache({ fingerprint, runId: ctx.run.runId, taskId: entry.id, result }),
  );
}
