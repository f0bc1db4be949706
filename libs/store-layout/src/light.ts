/**
 * `@kiln/store-layout/light`: an attempt's store keys and the record schemas the in-pod launcher
 * needs, without the IR's DAG and pipeline schemas or the engine's (see `execution-records.ts`).
 *
 * @example
 * ```ts
 * import { stepLaunchRequestSchema, launcherFailureKey } from '@kiln/store-layout/light';
 * const request = await store.readJson(requestKey, stepLaunchRequestSchema);
 * ```
 */
export {
  executionPrefix,
  executorOutputKey,
  stepLogKey,
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
