/**
 * A run's status document (`getKilnRun` of `@kiln/engine/client`, shared with
 * the client): the run record in the store once the run closed, the live
 * `status` query while it runs, and a minimal document from Temporal's own
 * description when neither answers; plus the run's origin from the store.
 */
import { ArtifactNotFoundError, type ArtifactStore } from '@kiln/artifacts';
import { getKilnRun, type RunStatusDocument } from '@kiln/engine-client';
import type { RunResource } from '@kiln/api-contract';
import { runRecordKey, runRecordSchema } from '@kiln/store-layout';
import type { ApiDeps } from '../deps';
import { readOrigin } from './origin';

/** The run's record, read back with its schema; undefined while the run has none. */
export async function readRunRecord(
  store: ArtifactStore,
  pipeline: string,
  runId: string,
): Promise<RunStatusDocument | undefined> {
  if (!pipeline) return undefined;
  try {
    return await store.readJson(runRecordKey(pipeline, runId), runRecordSchema);
  } catch (error) {
    if (error instanceof ArtifactNotFoundError) return undefined;
    throw error;
  }
}

/**
 * @example
 * ```ts
 * const run = await getRun(deps, 'kiln-training-01jd...');
 * console.log(run.state, run.tasks.length, run.temporal.ui);
 * ```
 */
export async function getRun(deps: ApiDeps, runId: string): Promise<RunResource> {
  const run = await getKilnRun(deps.client, runId, {
    ...(deps.temporalUiUrl ? { uiUrl: deps.temporalUiUrl } : {}),
    savedDocument: (pipeline, id) => readRunRecord(deps.store, pipeline, id),
  });
  const origin = await readOrigin(deps.store, run.pipeline.name, runId);
  return { ...run, ...(origin ? { origin } : {}) };
}
