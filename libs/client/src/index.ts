/**
 * `@kiln/client`: start, watch, list and cancel Kiln runs, manage schedules
 * and stored pipelines — over the Kiln HTTP API or straight on Temporal, with
 * one interface.
 *
 * - {@link createKilnClient} makes a {@link KilnClient}: `runs`, `schedules`, `pipelines`.
 * - `runs.start(pipeline, params, options?)` takes a pipeline from `@kiln/dsl`
 *   (its parameters are checked at compile time: a wrong name or type, or a
 *   missing required parameter, is a TypeScript error), compiled IR
 *   (`PipelineSpec`, JSON parameters checked by the server), or a stored
 *   version `{ name, version?, digest? }` ({@link storedPipeline} keeps the types).
 * - `runs.watch(id)` is an async iterator of status updates until the run ends;
 *   `runs.result(id)` waits and throws {@link KilnRunFailedError} on failure.
 * - `runs.list(filter)` iterates runs across pages (`.pages()` for one page at a time).
 * - `runs.logs(id, task, { follow: true })` streams a running step's log until it ends.
 * - `runs.artifacts(id)` lists output artifacts; `artifacts.download(artifact, path)`
 *   streams one to disk and checks its sha256.
 * - Errors are {@link KilnApiError} with `status` and a stable `code`, on both transports:
 *   the API's codes (`apiErrorCodes` of `@kiln/api-contract`) and the client's own three.
 * - Over the API every call is a route of `@kiln/api-contract` and every answer is read
 *   against its schema: the resource types (`RunDetails`, `Schedule`, `PipelineVersion`, ...)
 *   are inferred from there, and a server answering off the contract is a `KilnApiError`
 *   (`unsupported`) that says what did not match.
 *
 * @example
 * ```ts
 * import { createKilnClient, KilnApiError, KilnRunFailedError } from '@kiln/client';
 * import { training } from './training';   // pipeline({ params: { minAccuracy: param.float({ default: 0.85 }) } }, ...)
 *
 * const kiln = createKilnClient({ api: { url: 'http://127.0.0.1:8080', token: process.env.KILN_API_TOKEN! } });
 *
 * const run = await kiln.runs.start(training, { minAccuracy: 0.9 }, { experiment: 'nightly' });
 * // kiln.runs.start(training, { minAcc: 0.9 })        ← TypeScript error: unknown parameter
 * // kiln.runs.start(training, { minAccuracy: 'high' }) ← TypeScript error: not a number
 *
 * for await (const { run: doc, changes } of run.watch()) {
 *   for (const c of changes) console.log(`${c.id}: ${c.from ?? '·'} → ${c.to}`);
 *   if (doc.state === 'FAILED') break;
 * }
 * try {
 *   const final = await run.result();
 *   console.log(final.outputs);
 * } catch (error) {
 *   if (error instanceof KilnRunFailedError) console.error(error.message);
 *   else if (error instanceof KilnApiError && error.code === 'unauthorized') console.error('check KILN_API_TOKEN');
 *   else throw error;
 * }
 *
 * await kiln.schedules.create({ id: 'nightly-training', pipeline: training, params: { minAccuracy: 0.9 }, cron: '0 3 * * *', catchupWindow: '1h' });
 * for await (const r of kiln.runs.list({ pipeline: 'training-pipeline', status: 'FAILED' })) console.log(r.runId);
 * ```
 *
 * @packageDocumentation
 */
export { createKilnClient, type KilnClientOptions } from './create-client';
export type {
  KilnClient,
  RunsApi,
  SchedulesApi,
  PipelinesApi,
  ArtifactsApi,
  RunHandle,
  CreateScheduleOptions,
} from './client';
export { KilnApiError, KilnRunFailedError, type KilnErrorCode } from './errors';
export {
  storedPipeline,
  type PipelineSource,
  type StoredPipelineRef,
  type TypedStoredPipelineRef,
  type RunParams,
  type ParamsOfDefs,
  type StartArgs,
} from './params';
export type * from './resources';
export type { ApiConnection } from './http/request';
export type { TemporalConnectionOptions } from './temporal/temporal-transport';
export type { ArtifactStoreReader } from './temporal/store-reader';
export { isFinal } from './watch';
