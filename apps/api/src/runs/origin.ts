/**
 * What the API knows about a run that the workflow does not: who started it,
 * from which stored version, and which run it retries. Kept next to the run
 * record in the store (`runOriginKey` of `@kiln/store-layout`:
 * `runs/<pipeline>/<runId>/origin.json`), read back with `runOriginSchema`.
 */
import { ArtifactNotFoundError, type ArtifactStore } from '@kiln/artifacts';
import { runOriginKey, runOriginSchema, type RunOrigin } from '@kiln/store-layout';

export async function readOrigin(
  store: ArtifactStore,
  pipeline: string,
  runId: string,
): Promise<RunOrigin | undefined> {
  try {
    return await store.readJson(runOriginKey(pipeline, runId), runOriginSchema);
  } catch (error) {
    if (error instanceof ArtifactNotFoundError) return undefined;
    throw error;
  }
}
