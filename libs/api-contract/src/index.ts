/**
 * `@kiln/api-contract`: the Kiln HTTP API as data, written once. zod schemas
 * for every route's path parameters, query string, body and answers, the error
 * body and the one list of error codes, and a route table ({@link apiRoutes})
 * naming each route's method, path, required role, schemas and documentation.
 *
 * - The server (apps/api) registers every route from its definition: the same
 *   schemas validate requests, check responses and make the OpenAPI document.
 * - The typed client (`@kiln/client`) calls every route by its definition and
 *   parses each answer with the route's response schema.
 * - The web UI does the same in the browser: this library imports only zod,
 *   `@kiln/ir` and `@kiln/engine-contract/schemas` (no Node built-ins, no
 *   Fastify, no Temporal client), and a test bundles it for the browser.
 *
 * The run resource is the engine's run status document
 * (`@kiln/engine-contract/schemas`) with Temporal's view and the run's origin;
 * schedules are the engine client's schedule documents. Types are inferred
 * from the schemas: `z.infer<typeof runResourceSchema>` is {@link RunResource}.
 *
 * @example
 * ```ts
 * import { anyErrorBodySchema, apiRoutes, pathOf, type RunResource } from '@kiln/api-contract';
 *
 * // How a browser page (or any fetch-based client) reads a run.
 * async function loadRun(baseUrl: string, token: string, runId: string): Promise<RunResource> {
 *   const route = apiRoutes.getRun; // GET /runs/:runId, role viewer
 *   const response = await fetch(baseUrl + pathOf(route, { runId }), {
 *     method: route.method,
 *     headers: { authorization: `Bearer ${token}` },
 *   });
 *   const body: unknown = await response.json();
 *   if (!response.ok) throw new Error(anyErrorBodySchema.parse(body).error.message);
 *   return route.responses[200].parse(body); // a clear error if the server answers off-contract
 * }
 *
 * const run = await loadRun('http://127.0.0.1:8080', token, 'kiln-training-01jd...');
 * for (const task of run.tasks) console.log(task.id, task.state, run.temporal.ui);
 * ```
 *
 * @packageDocumentation
 */
import type { z } from 'zod';
import type {
  pipelineByDigestSchema,
  pipelineDetailSchema,
  pipelineSummarySchema,
  pipelineVersionSchema,
  pipelineVersionWithSpecSchema,
  uploadedVersionSchema,
  uploadPipelineQuerySchema,
} from './pipelines';
import type {
  createRunBodySchema,
  listRunsQuerySchema,
  runOriginSchema,
  runResourceSchema,
  startedRunSchema,
} from './runs';
import type { backfillBodySchema, createScheduleBodySchema, durationSchema } from './schedules';
import type { directoryListingSchema, listedArtifactSchema } from './run-outputs';
import type { readinessSchema } from './health';

export { apiRoutes, type ApiRoutes, type ApiRouteName } from './routes';
export {
  defineRoute,
  isAnswerOf,
  isMediaResponse,
  pathOf,
  readAnswer,
  errorResponsesOf,
  type ApiRoute,
  type AnswerReading,
  type ApiTag,
  type ErrorStatus,
  type HttpMethod,
  type MediaResponse,
  type ResponseSpec,
  type RouteBody,
  type RouteParams,
  type RouteQuery,
  type RouteResult,
  type RouteSpec,
} from './route';
export {
  anyErrorBodySchema,
  apiErrorCodes,
  apiErrorCodeSchema,
  errorBodySchema,
  invalidRequestMessage,
  requestProblems,
  type ApiErrorCode,
  type ErrorBody,
  type RequestProblem,
} from './errors';
export { allows, roles, roleSchema, type Role, type RouteAccess } from './roles';
export * from './fields';
export * from './pipelines';
export * from './runs';
export * from './run-outputs';
export * from './schedules';
export * from './health';
export {
  runArtifactSchema,
  runStateSchema,
  runStatusDocumentSchema,
  runSummarySchema,
  runViewSchema,
  scheduleOverlapSchema,
  scheduleSchema,
  scheduleSummarySchema,
  taskStateSchema,
  taskStatusSchema,
} from '@kiln/engine-contract/schemas';
export type { RunState, RunStatusDocument, TaskState, TaskStatus } from '@kiln/engine-contract';
import type {
  runSummarySchema,
  scheduleOverlapSchema,
  scheduleSchema,
  scheduleSummarySchema,
} from '@kiln/engine-contract/schemas';

/** A stored pipeline version. */
export type PipelineVersion = z.infer<typeof pipelineVersionSchema>;
/** A pipeline with its latest version. */
export type PipelineSummary = z.infer<typeof pipelineSummarySchema>;
/** A pipeline with all its versions. */
export type PipelineDetail = z.infer<typeof pipelineDetailSchema>;
/** An uploaded version, and whether the upload created it. */
export type UploadedVersion = z.infer<typeof uploadedVersionSchema>;
/** A version with its IR. */
export type PipelineVersionWithSpec = z.infer<typeof pipelineVersionWithSpecSchema>;
/** IR fetched by digest. */
export type PipelineByDigest = z.infer<typeof pipelineByDigestSchema>;
/** The query of an upload: version label and description. */
export type UploadPipelineQuery = z.input<typeof uploadPipelineQuerySchema>;

/** The body of `POST /runs`, as a client sends it. */
export type CreateRunBody = z.input<typeof createRunBodySchema>;
/** A run that was just started. */
export type StartedRun = z.infer<typeof startedRunSchema>;
/** Who started a run, from which stored version, and which run it retries. */
export type RunOrigin = z.infer<typeof runOriginSchema>;
/** A run: its status document, Temporal's view of it, and its origin. */
export type RunResource = z.infer<typeof runResourceSchema>;
/** The filters and page of `GET /runs`, as a client sends them. */
export type ListRunsQuery = z.input<typeof listRunsQuerySchema>;
/** A listed output artifact, with the path that downloads it. */
export type ListedArtifact = z.infer<typeof listedArtifactSchema>;
/** A directory artifact's file list. */
export type DirectoryListing = z.infer<typeof directoryListingSchema>;

/** One row of a run listing. */
export type RunSummary = z.infer<typeof runSummarySchema>;

/** A schedule as the server describes it: its spec, policies, recent and next runs. */
export type Schedule = z.infer<typeof scheduleSchema>;
/** One row of a schedule listing. */
export type ScheduleSummary = z.infer<typeof scheduleSummarySchema>;
/** What to do when a scheduled run is due while the previous one still runs. */
export type ScheduleOverlap = z.infer<typeof scheduleOverlapSchema>;
/** The body of `POST /schedules`, as a client sends it. */
export type CreateScheduleBody = z.input<typeof createScheduleBodySchema>;
/** A duration as the API takes it: `'30s'`, `'15m'`, `'1h'`, `'1d'`, or whole seconds. */
export type DurationInput = z.input<typeof durationSchema>;
/** The body of a backfill, as a client sends it. */
export type BackfillBody = z.input<typeof backfillBodySchema>;

/** What `/readyz` answers: each dependency's check, and the error when one failed. */
export type Readiness = z.infer<typeof readinessSchema>;
