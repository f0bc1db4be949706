/** The store-backed activities as one object, for a worker to register next to an executor's `runStep`. */
import type { ArtifactStore } from '@kiln/artifacts';
import type { StoreActivities } from '@kiln/engine-contract';
import { lookupCache, saveCache } from './cache';
import { importArtifact } from './import-artifact';
import { resolveRunContext } from './run-context';
import { saveRunRecord } from './run-record';

export interface StoreActivitiesDeps {
  store: ArtifactStore;
  /**
   * Folders a `file:` importer may read outside the store (links resolved). Default: none, so
   * a pipeline cannot import the worker's own files; `kiln dev` and `kiln run` allow the project folder.
   */
  importRoots?: readonly string[];
}

/**
 * @example
 * ```ts
 * const activities: KilnActivities = {
 *   ...createStoreActivities({ store }),
 *   ...createK8sActivities({ kube, namespace: 'ml', store, launcherImage }),
 * };
 * ```
 */
export function createStoreActivities({ store, importRoots = [] }: StoreActivitiesDeps): StoreActivities {
  return {
    importArtifact: (req) => importArtifact(store, req, importRoots),
    lookupCache: (req) => lookupCache(store, req),
    saveCache: (req) => saveCache(store, req),
    saveRunRecord: (doc) => saveRunRecord(store, doc),
    resolveRunContext: (req) => resolveRunContext(store, req),
  };
}
