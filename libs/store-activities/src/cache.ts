/**
 * Cache entries live in the artifact store (`cache/<fingerprint>.json`): no
 * database besides Temporal and the store.
 */
import { ArtifactNotFoundError, locate, type ArtifactStore } from '@kiln/artifacts';
import type { CacheLookupRequest, CacheLookupResult, CacheSaveRequest, CachedStep } from '@kiln/engine-contract';
import { cacheEntryKey, computeFingerprint } from './fingerprint';

/** The stored form of a cache entry. */
export interface CacheEntry extends CachedStep {
  fingerprint: string;
  taskId: string;
}

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
    entry = await store.readJson<CacheEntry>(cacheEntryKey(fingerprint));
  } catch (error) {
    if (error instanceof ArtifactNotFoundError) return { fingerprint };
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
