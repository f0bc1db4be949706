/**
 * `@kiln/store-layout`: where everything lives in the artifact store, in one
 * place. Every store key and URI Kiln writes or reads is made here, together
 * with the zod schema its record is read back with: run records and origins,
 * attempt output artifacts, step logs and live-log chunks, executor-output
 * records, the in-pod launch request and launcher failures, cache entries and
 * the API's pipeline registry; and the execution key that names an attempt.
 *
 * Pure: no Node built-ins, no I/O (the web UI may use it too). Keys are
 * validated where they are used, by the store (`validateKey` of `@kiln/artifacts`).
 * The whole layout is the table in this project's README.md.
 *
 * @example
 * ```ts
 * import { openStore } from '@kiln/artifacts';
 * import { executionKey, executorOutputSchema, executorOutputKey, runRecordKey, runRecordSchema } from '@kiln/store-layout';
 *
 * const store = openStore('file:///data/kiln');
 * const doc = await store.readJson(runRecordKey('training', runId), runRecordSchema); // StoreRecordError if malformed
 * const key = executionKey({ runId, taskId: 'train', iteration: [], attempt: 1 });
 * const output = await store.readJson(executorOutputKey(key), executorOutputSchema);
 * ```
 *
 * @packageDocumentation
 */
export { executionKey, type AttemptRef } from './execution-key';
export {
  executionPrefix,
  executorOutputKey,
  stepLogKey,
  stepTryLogKey,
  liveLogPrefix,
  liveLogChunkKey,
  maxLiveLogChunk,
  podRequestKey,
  executionKeyOfPodRequest,
  launcherFailureKey,
} from './executions';
export {
  launchArtifactSchema,
  stepIdentitySchema,
  launchRequestSchemaOf,
  stepLaunchRequestSchema,
  executorOutputSchema,
  launchFailureTypeSchema,
  launcherFailureSchema,
} from './execution-records';
export { launchRequestSchema } from './launch-request';
export { runPrefix, runRecordKey, runOriginKey, attemptOutputKey, attemptOutputUri, type RunAttemptRef } from './runs';
export { runRecordSchema, runOriginSchema, type RunOrigin } from './run-records';
export { cacheEntryKey, cacheEntrySchema, type CacheEntry } from './cache';
export {
  pipelinesPrefix,
  pipelinePrefix,
  pipelineSpecKey,
  pipelineVersionsPrefix,
  pipelineVersionKey,
  pipelineVersionOfKey,
  pipelineVersionSchema,
  storeProbeKey,
  type PipelineVersion,
} from './pipelines';
export { locateStep, importTargetUri, type LocatedStep } from './locate';
