/** Run records: the final status document of each run, kept in the store. */
import type { ArtifactStore } from '@kiln/artifacts';
import type { RunStatusDocument } from '@kiln/engine-contract';

/** `runs/<pipeline>/<runId>/record.json` */
export function runRecordKey(pipelineName: string, runId: string): string {
  return `runs/${pipelineName}/${runId}/record.json`;
}

/** Writes (or replaces: a later status wins) the run's record. */
export async function saveRunRecord(store: ArtifactStore, doc: RunStatusDocument): Promise<void> {
  await store.writeJson(runRecordKey(doc.pipeline.name, doc.runId), doc);
}
