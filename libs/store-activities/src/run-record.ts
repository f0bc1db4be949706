/** Run records: the final status document of each run, kept in the store (`runRecordKey` of `@kiln/store-layout`). */
import type { ArtifactStore } from '@kiln/artifacts';
import type { RunStatusDocument } from '@kiln/engine-contract';
import { runRecordKey } from '@kiln/store-layout';

/** Writes (or replaces: a later status wins) the run's record. */
export async function saveRunRecord(store: ArtifactStore, doc: RunStatusDocument): Promise<void> {
  await store.writeJson(runRecordKey(doc.pipeline.name, doc.runId), doc);
}
