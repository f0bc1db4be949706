/**
 * The local executor's activities: the engine's `KilnActivities` with each step's
 * command run as a child process in its own process group on the worker's host
 * (a crashing step cannot take the worker down), driven by the launcher in the
 * worker's process (default) or as a launcher child process per step
 * (`launcherMode: 'process'`); heartbeats every few seconds, cancellation that
 * stops the step's whole process tree, failures typed for the workflow's retry
 * policies, content-addressed caching and run records in the artifact store.
 *
 * @example
 * ```ts
 * import { Worker } from '@temporalio/worker';
 * import { openStore, defaultStoreUrl } from '@kiln/artifacts';
 * import { createLocalExecutorActivities } from '@kiln/activities';
 *
 * const store = openStore(process.env.KILN_ARTIFACTS ?? defaultStoreUrl());
 * const worker = await Worker.create({ taskQueue: 'kiln', workflowsPath, activities: createLocalExecutorActivities({ store }) });
 * ```
 *
 * @packageDocumentation
 */
export { createLocalExecutorActivities, type LocalExecutorDeps } from './local-executor';
export { computeFingerprint, cacheEntryKey } from './fingerprint';
export { lookupCache, saveCache, type CacheEntry } from './cache';
export { importArtifact } from './import-artifact';
export { saveRunRecord, runRecordKey } from './run-record';
export { stepFailure } from './failures';
export { toStepResult, type StepHeartbeat } from './run-step-activity';
export type { ActivityLogger } from './logger';
