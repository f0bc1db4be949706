/** Cancelling and retrying runs. */
import type { ApiDeps } from '../deps';
import { conflict } from '../errors';
import { describeRun, readRunInput } from './get';
import { readOrigin } from './origin';
import { startRun } from './start';

/**
 * Requests cancellation: running steps are cancelled (pods deleted with a
 * grace period, local processes stopped), exit handlers run, the run ends
 * CANCELLED. @throws ApiError 409 if the run already ended.
 */
export async function cancelRun(deps: ApiDeps, runId: string): Promise<{ runId: string; cancelRequested: true }> {
  const { handle, description } = await describeRun(deps, runId);
  if (description.status.name !== 'RUNNING') throw conflict(`run ${runId} already ended (${description.status.name}); nothing to cancel`);
  await handle.cancel();
  return { runId, cancelRequested: true };
}

/**
 * Retries a failed or cancelled run "from the failed step": a NEW run of the
 * same IR with the same parameters and options, with the step cache on. Steps
 * that succeeded before are served from the cache (same fingerprint: same
 * implementation, inputs and input artifact contents), so work resumes at the
 * steps that failed, were cancelled or never ran. Steps whose caching is
 * disabled in the IR, or that ran with `cache: false`, run again. The new run
 * records `origin.retryOf`. @throws ApiError 409 while the run is still running or if it succeeded.
 */
export async function retryRun(deps: ApiDeps, runId: string, startedBy: string): Promise<{ runId: string; retryOf: string }> {
  const { description, pipeline } = await describeRun(deps, runId);
  const status = description.status.name;
  if (status === 'RUNNING') throw conflict(`run ${runId} is still running; cancel it first or wait for it to end`);
  if (status === 'COMPLETED') throw conflict(`run ${runId} succeeded; start a new run instead of a retry`);
  const input = await readRunInput(deps, runId);
  const origin = await readOrigin(deps.store, pipeline, runId);
  const digest = await deps.registry.putSpec(input.spec);
  const { runId: newRunId } = await startRun(deps, {
    pipeline: { spec: input.spec, digest, ...(origin?.pipelineVersion ? { version: origin.pipelineVersion } : {}) },
    params: input.params,
    // Its own run id (the new workflow id), the original's other options, and the cache on.
    options: { ...withoutRunId(input.options), cache: true },
    startedBy,
    retryOf: runId,
  });
  return { runId: newRunId, retryOf: runId };
}

function withoutRunId<T extends { runId?: string }>(options: T): Omit<T, 'runId'> {
  const { runId: _ignored, ...rest } = options;
  return rest;
}
