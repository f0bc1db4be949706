/**
 * A step's cache (DESIGN.md section 4): looked up before it runs (the activity
 * computes the fingerprint), a hit recorded as the task's result; a success
 * saved under the fingerprint afterwards.
 */
import type { Component, TaskNode } from '@kiln/ir';
import { CancellationScope } from '@temporalio/workflow';
import type { CacheLookupRequest, StepResult, TaskStatus } from '@kiln/engine-contract';
import { storeActivities, storeActivityOptions } from './activities';
import type { ExecutionContext } from './context';
import { mapValues, outputsOf } from './step-request';
import type { ResolvedInputs } from './task';
import { hasPatch } from './patches';

/**
 * Runs started before this patch scheduled the cache activities without a summary, so the Temporal
 * UI showed a cached step as a bare `lookupCache`; with it they carry the step's name.
 */
const CACHE_SUMMARY_PATCH = 'kiln-cache-summary';

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
  summary: string,
): Promise<CacheLookup> {
  const caching = node.settings.caching;
  // Caching off costs nothing: no activity, no history event.
  if (!ctx.run.cache || caching?.enabled === false) return { hit: false };
  const outputTypes = outputsOf(component);
  const request: CacheLookupRequest = {
    pipelineName: ctx.run.pipelineName,
    taskId: entry.id,
    component,
    inputs,
    outputs: { params: outputTypes.params, artifacts: mapValues(outputTypes.artifacts, (type) => ({ type })) },
    ...(caching?.key !== undefined ? { key: caching.key } : {}),
    ...(caching?.maxStalenessSeconds !== undefined ? { maxStalenessSeconds: caching.maxStalenessSeconds } : {}),
  };
  const lookup = hasPatch(CACHE_SUMMARY_PATCH)
    ? await storeActivities.lookupCache.executeWithOptions(
        { ...storeActivityOptions, summary: `cache lookup • ${summary}` },
        [request],
      )
    : await storeActivities.lookupCache(request);
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
  summary: string,
): Promise<void> {
  const request = { fingerprint, runId: ctx.run.runId, taskId: entry.id, result };
  await CancellationScope.nonCancellable(() =>
    hasPatch(CACHE_SUMMARY_PATCH)
      ? storeActivities.saveCache.executeWithOptions({ ...storeActivityOptions, summary: `cache save • ${summary}` }, [
          request,
        ])
      : storeActivities.saveCache(request),
  );
}
