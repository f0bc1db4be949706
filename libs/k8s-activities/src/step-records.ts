/**
 * What a step's pod leaves in the store for the worker: the executor-output
 * record of a step that succeeded, or the launcher's own account of a fetch or
 * publish failure (`launcherFailureKey`), which says more than a container state.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { ArtifactNotFoundError, StoreRecordError, type ArtifactStore } from '@kiln/artifacts';
import { stepFailure, type StepResult } from '@kiln/engine-contract';
import { containerNames, sleep } from '@kiln/kube';
import { toStepFailure, type ExecutorOutput, type LaunchFailure } from '@kiln/launcher';
import { executorOutputKey, executorOutputSchema, launcherFailureKey, launcherFailureSchema } from '@kiln/store-layout';
import type { z } from 'zod';
import { timeMs, type PodFailure } from './classify';

/** A record, parsed with its schema, or undefined when absent. A malformed one fails the attempt for good, naming the key. */
export async function readJsonIfPresent<S extends z.ZodType>(
  store: ArtifactStore,
  key: string,
  schema: S,
): Promise<z.output<S> | undefined> {
  try {
    return await store.readJson(key, schema);
  } catch (error) {
    if (error instanceof ArtifactNotFoundError) return undefined;
    if (error instanceof StoreRecordError)
      throw stepFailure({ failureClass: 'configuration', reason: 'InvalidStoreRecord', message: error.message });
    throw error;
  }
}

/** The executor-output record of an attempt, if one was written. */
export function recordedOutput(store: ArtifactStore, executionKey: string): Promise<ExecutorOutput | undefined> {
  return readJsonIfPresent(store, executorOutputKey(executionKey), executorOutputSchema);
}

/** The sidecar writes the record just before the pod completes; give a slow store a moment. */
export async function waitForRecord(store: ArtifactStore, executionKey: string): Promise<ExecutorOutput | undefined> {
  for (let i = 0; i < 10; i++) {
    const record = await recordedOutput(store, executionKey);
    if (record) return record;
    await sleep(300);
  }
  return undefined;
}

/**
 * Whether the launcher's note may say more than the container state: when fetch failed, or when main exited
 * before the user's code ran (the Python shim's package install).
 */
export function launcherKnowsMore(failure: PodFailure): boolean {
  return failure.reason === 'InputFetchFailed' || failure.reason === 'NonZeroExit';
}

/** The launcher's own account of a fetch or publish failure, when it left one; else `fallback`. */
export async function launcherFailure(
  store: ArtifactStore,
  executionKey: string,
  fallback: PodFailure,
): Promise<PodFailure> {
  const recorded = await readJsonIfPresent(store, launcherFailureKey(executionKey), launcherFailureSchema).catch(
    () => undefined,
  );
  return recorded ? launcherAccount(recorded, fallback) : fallback;
}

/** The launcher's account of a failure as the pod's, keeping the exit code the container state gave. */
export function launcherAccount(recorded: LaunchFailure, fallback: PodFailure): PodFailure {
  return {
    failureClass: toStepFailure(recorded).failureClass,
    reason: recorded.reason,
    message: recorded.message,
    ...(fallback.exitCode !== undefined && { exitCode: fallback.exitCode }),
  };
}

/** The engine's view of a record, with the pod that produced it and, when known, when main ran. */
export function toStepResult(
  record: ExecutorOutput,
  pod: { namespace: string; name: string },
  times?: { startedAt?: string; finishedAt?: string },
): StepResult {
  return {
    exitCode: record.exitCode,
    outputs: record.outputs,
    startedAt: times?.startedAt ?? record.startedAt,
    finishedAt: times?.finishedAt ?? record.finishedAt,
    logUri: record.logUri,
    executor: 'kubernetes',
    pod,
  };
}

/** When main ran, from its container state; the record's times are the launcher's view. */
export function mainTimes(pod: V1Pod | undefined): { startedAt?: string; finishedAt?: string } {
  const t = pod?.status?.containerStatuses?.find((s) => s.name === containerNames.main)?.state?.terminated;
  const started = timeMs(t?.startedAt);
  const finished = timeMs(t?.finishedAt);
  return {
    ...(started !== undefined && { startedAt: new Date(started).toISOString() }),
    ...(finished !== undefined && { finishedAt: new Date(finished).toISOString() }),
  };
}
