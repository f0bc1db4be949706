/**
 * `@kiln/store-activities`: the activities every executor needs next to its
 * `runStep`, all backed by the artifact store: the content-addressed step cache
 * (`lookupCache`, `saveCache`), importers (`importArtifact`), run records
 * (`saveRunRecord`) and the run's context (`resolveRunContext`). Where each
 * lives in the store, and the schemas entries are read back with, are
 * `@kiln/store-layout`'s.
 *
 * @example
 * ```ts
 * import { openStore, defaultStoreUrl } from '@kiln/artifacts';
 * import { createStoreActivities } from '@kiln/store-activities';
 * import { createLocalStepActivities } from '@kiln/local-executor';
 *
 * const store = openStore(defaultStoreUrl());
 * const activities = { ...createStoreActivities({ store }), ...createLocalStepActivities({ store }) };
 * ```
 *
 * @packageDocumentation
 */
export { createStoreActivities, type StoreActivitiesDeps } from './store-activities';
export { computeFingerprint } from './fingerprint';
export { lookupCache, saveCache } from './cache';
export { importArtifact } from './import-artifact';
export { checkImportAllowed } from './import-roots';
export { saveRunRecord } from './run-record';
export { resolveRunContext } from './run-context';
export type { ActivityLogger } from './logger';
