/** Cancelling and retrying runs (the checks are `@kiln/engine/client`'s, shared with the client). */
import { cancelKilnRun, retryInput } from '@kiln/engine-client';
import type { ApiDeps } from '../deps';
import { readOrigin } from './origin';
import { startRun } from './start';

/**
 * Requests cancellation: running steps are cancelled (pods deleted with a
 * grace period, local processes stopped), exit handlers run, the run ends
 * CANCELLED. @throws KilnRequestError 409 if the run already ended.
 */
export async function cancelRun(deps: ApiDeps, runId: string): Promise<{ runId: string; cancelRequested: true }> {
  await cancelKilnRun(deps.client, runId);
  return { runId, cancelRequested: true };
}

/**
 * Retries a failed or cancelled run "from the failed step": a NEW run of the
 * same IR with the same parameters and options, with the step cache on. Steps
 * that succeeded before are served from the cache (same fingerprint: same
 * implementation, inputs and input artifact contents), so work resumes at the
 * steps that failed, were cancelled or never ran. Steps whose caching is
 * disabled in the IR, or that ran with `cache: false`, run again. The new run
 * records `origin.retryOf`. @throws KilnRequestError 409 while the run is still running or if it succeeded.
 */
export async function retryRun(
  deps: ApiDeps,
  runId: string,
  startedBy: string,
): Promise<{ runId: string; retryOf: string }> {
  const { input, pipeline } = await retryInput(deps.client, runId);
  const origin = await readOrigin(deps.store, pipeline, runId);
  const digest = await deps.registry.putSpec(input.spec);
  const { runId: newRunId } = await startRun(deps, {
    pipeline: { spec: input.spec, digest, ...(origin?.pipelineVersion ? { version: origin.pipelineVersion } : {}) },
    params: input.params,
    options: input.options,
    startedBy,
    retryOf: runId,
  });
  return { runId: newRunId, retryOf: runId };
}
