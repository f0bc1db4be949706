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
 * import { anyErrorBodySchema, apiRoutes, pathOf, readAnswer, type RunResource } from '@kiln/api-contract';
 *
 * // How a browser page (or any fetch-based client) reads a run: path and method from the
 * // route table, the answer checked against the route's schema.
 * async function loadRun(baseUrl: string, token: string, runId: string): Promise<RunResource> {
 *   const route = apiRoutes.getRun; // GET /runs/:runId, role viewer
 *   const response = await fetch(baseUrl + pathOf(route, { runId }), {
 *     method: route.method,
 *     headers: { authorization: `Bearer ${token}` },
 *   });
 *   const body: unknown = await response.json();
 *   if (!response.ok) throw new Error(anyErrorBodySchema.parse(body).error.message);
 *   const answer = readAnswer(route, response.status, body);
 *   if (!answer.ok) throw new Error(`GET /runs/${runId}: ${answer.problem}`); // a server off the contract
 *   return answer.value;
 * }
 *
 * const run = await loadRun('http://127.0.0.1:8080', token, 'kiln-training-01jd...');
 * for (const task of run.tasks) console.log(task.id, task.state, run.temporal.ui);
 *
 * // Requests are typed and checked by the same schemas the server validates with:
 * const body = apiRoutes.createSchedule.body.parse({ id: 'nightly', pipeline: { name: 'training' }, cron: '0 3 * * *', catchupWindow: '1h' });
 * ```
 *
 * @packageDocumentation
 */
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
export * from './run-insights';
export * from './run-event-stream';
export * from './ui-policy';
export * from './schedules';
export * from './health';
export * from './auth';
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
export type * from './types';
