/**
 * Cache entries live in the artifact store (`cache/<fingerprint>.json`, see
 * `@kiln/store-layout`): no database besides Temporal and the store.
 */
import { ArtifactNotFoundError, StoreRecordError, locate, type ArtifactStore } from '@kiln/artifacts';
import {
  stepFailure,
  type CacheLookupRequest,
  type CacheLookupResult,
  type CacheSaveRequest,
} from '@kiln/engine-contract';
import { cacheEntryKey, cacheEntrySchema, type CacheEntry } from '@kiln/store-layout';
import { computeFingerprint } from './fingerprint';

/**
 * Looks a step up by fingerprint. A hit must be fresh enough (`maxStalenessSeconds`)
 * and its output artifacts must still exist: a result pointing at deleted bytes is a miss.
 */
export async function lookupCache(
  store: ArtifactStore,
  req: CacheLookupRequest,
  now = Date.now(),
): Promise<CacheLookupResult> {
  const fingerprint = await computeFingerprint(req, store);
  let entry: CacheEntry;
  try {
    entry = await store.readJson(cacheEntryKey(fingerprint), cacheEntrySchema);
  } catch (error) {
    if (error instanceof ArtifactNotFoundError) return { fingerprint };
    // A malformed entry reads the same on every try: say which, and let no retry wait on it.
    if (error instanceof StoreRecordError)
      throw stepFailure({
        failureClass: 'configuration',
        reason: 'InvalidStoreRecord',
        message: `cannot use the step cache: ${error.message}`,
        cause: error,
      });
    throw error;
  }
  if (req.maxStalenessSeconds !== undefined && now - Date.parse(entry.createdAt) > req.maxStalenessSeconds * 1000) {
    return { fingerprint };
  }
  for (const ref of Object.values(entry.result.outputs.artifacts)) {
    const { store: source, key } = locate(ref.uri, store);
    if (!(await source.exists(key))) return { fingerprint };
  }
  return { fingerprint, hit: { result: entry.result, runId: entry.runId, createdAt: entry.createdAt } };
}

/** Records a successful step under its fingerprint; a newer result replaces an older one. */
export async function saveCache(store: ArtifactStore, req: CacheSaveRequest): Promise<void> {
  const entry: CacheEntry = {
    fingerprint: req.fingerprint,
    runId: req.runId,
    taskId: req.taskId,
    createdAt: new Date().toISOString(),
    result: req.result,
  };
  await store.writeJson(cacheEntryKey(req.fingerprint), entry);
}
