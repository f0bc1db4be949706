/**
 * `@kiln/engine-client`: everything a Temporal client needs to start, read and
 * steer Kiln runs and schedules, without the worker (no `@temporalio/worker`,
 * no workflow bundle). The HTTP API (apps/api) and `@kiln/client`'s Temporal
 * transport are both built on it, so they answer the same documents and
 * refuse the same mistakes ({@link KilnRequestError}).
 *
 * - Runs: {@link startPipelineRun}, {@link getKilnRun}, {@link listKilnRuns},
 *   {@link cancelKilnRun}, {@link retryInput}, {@link readRunInput}.
 * - Schedules: {@link createKilnSchedule}, {@link describeKilnSchedule}, {@link listKilnSchedules}.
 * - Status documents: {@link requireTask}, {@link runArtifacts}, {@link requireOutputArtifact};
 *   run states: {@link runStateOf}, {@link runsQuery}. (Where an attempt's records live in
 *   the store, its execution key included, is `@kiln/store-layout`'s.)
 *
 * @example
 * ```ts
 * import { Client, Connection } from '@temporalio/client';
 * import { getKilnRun, startPipelineRun } from '@kiln/engine-client';
 *
 * const client = new Client({ connection: await Connection.connect({ address: '127.0.0.1:7233' }) });
 * const handle = await startPipelineRun(client, { taskQueue: 'kiln', spec, params: { minAccuracy: 0.9 } });
 * const run = await getKilnRun(client, handle.workflowId);
 * console.log(run.state, run.tasks.map((t) => `${t.id}: ${t.state}`));
 * ```
 *
 * @packageDocumentation
 */
export { startPipelineRun, newWorkflowId, type StartPipelineRunOptions } from './start-run';
export { KilnRequestError, type KilnRequestErrorCode } from './errors';
export { requestRefusalOf } from './refusals';
export { decodePageToken, encodePageToken } from './page-token';
export { countScheduleActions } from './schedule-times';
export { runStateOf, runStateCondition, runsQuery, temporalUiLink, type RunListFilter } from './run-state';
export {
  cancelKilnRun,
  describeKilnRun,
  getKilnRun,
  listKilnRuns,
  queryRunStatus,
  readRunInput,
  refusedPageToken,
  retryInput,
  type GetKilnRunOptions,
  type KilnPage,
  type KilnRunSummary,
  type KilnRunView,
} from './runs';
export {
  createKilnSchedule,
  describeKilnSchedule,
  listKilnSchedules,
  type KilnSchedule,
  type KilnScheduleRequest,
  type KilnScheduleSummary,
  type ScheduleOverlap,
} from './schedules';
export { requireOutputArtifact, requireTask, runArtifacts, taskOf, type RunArtifact } from './run-tasks';
export { statusQuery } from '@kiln/engine-contract';
export { INVALID_PARAMS, RUN_FAILED } from '@kiln/engine-contract';
export * from '@kiln/engine-contract';
export type * from '@kiln/engine-contract';
export type { ArtifactRef, ExecutorKind } from '@kiln/engine-contract';
export type { PipelineRunInput, RunOptions } from '@kiln/engine-contract';
