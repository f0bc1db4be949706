/**
 * What the API knows about a run that the workflow does not: who started it,
 * from which stored version, and which run it retries. Kept next to the run
 * record in the store (`runs/<pipeline>/<runId>/origin.json`).
 */
import { ArtifactNotFoundError, type ArtifactStore } from '@kiln/artifacts';
import type { RunOrigin } from '@kiln/api-contract';

export const originKey = (pipeline: string, runId: string) => `runs/${pipeline}/${runId}/origin.json`;

export async function readOrigin(
  store: ArtifactStore,
  pipeline: string,
  runId: string,
): Promise<RunOrigin | undefined> {
  try {
    return await store.readJson<RunOrigin>(originKey(pipeline, runId));
  } catch (error) {
    if (error instanceof ArtifactNotFoundError) return undefined;
    throw error;
  }
}
