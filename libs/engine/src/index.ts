/**
 * `@kiln/engine`: the interpreter workflow that runs any compiled Kiln pipeline
 * on Temporal, its contract with executors, and the worker/client wiring.
 *
 * - `kilnPipelineRun` (workflow, in `./workflows`): takes `{ spec, params, options }`.
 * - `KilnActivities` (`./activities`): what executors implement.
 * - `statusQuery`, `RunStatusDocument`: the live run status document.
 * - `createKilnWorker`, `startPipelineRun` (Node-only; `./worker`, `./client`).
 * - `@kiln/engine/client` (`./client`): the Temporal-client side alone (start,
 *   read, list, cancel, retry runs; schedules), without the worker: what the
 *   API and `@kiln/client` import.
 *
 * @example
 * ```ts
 * import { createKilnWorker, startPipelineRun, statusQuery } from '@kiln/engine';
 * const worker = await createKilnWorker({ connection, taskQueue: 'kiln', activities });
 * const handle = await startPipelineRun(client, { taskQueue: 'kiln', spec, params: {} });
 * await worker.runUntil(handle.result());
 * ```
 *
 * @packageDocumentation
 */
export * from './contract';
export type * from './activities';
export { kilnActivityNames } from './activities';
export type * from './options';
export type * from './status';
export { statusQuery } from './queries';
export * from './search-attributes';
export { INVALID_PARAMS, RUN_FAILED } from './run-failures';
export {
  createKilnWorker,
  kilnWorkflowBundle,
  kilnWorkflowsPath,
  type KilnWorkerOptions,
} from './worker/create-worker';
export { startPipelineRun, newWorkflowId, type StartPipelineRunOptions } from './client/start-run';
