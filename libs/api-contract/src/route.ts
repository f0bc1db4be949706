/**
 * A route of the API as data: method, path, who may call it, its schemas and
 * its documentation. The server registers each route from its definition, the
 * typed client calls it by the same definition, so a path, a method, a schema
 * or a status code is written once.
 */
import { z } from 'zod';
import { errorBodySchema } from './errors';
import type { RouteAccess } from './roles';

export type HttpMethod = 'GET' | 'POST' | 'DELETE';

/** The OpenAPI tags routes are grouped under. */
export type ApiTag = 'pipelines' | 'runs' | 'schedules' | 'health' | 'auth';

/** A body that is not JSON (a log, a file): its media types, each with the schema that documents it. */
export interface MediaResponse {
  description: string;
  content: Readonly<Record<string, { schema: z.ZodType }>>;
}

/** What a route answers with a status: a JSON body's schema, or media that stream. */
export type ResponseSpec = z.ZodType | MediaResponse;

/** Error statuses a route can answer, each with the error body. */
export type ErrorStatus = 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 503;

/** What {@link defineRoute} takes. */
export interface RouteSpec {
  method: HttpMethod;
  /** Fastify's path syntax: `/runs/:runId`. */
  path: string;
  access: RouteAccess;
  tag: ApiTag;
  summary: string;
  description?: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** Request media types other than JSON (pipeline uploads take YAML too). */
  consumes?: readonly string[];
  /** The answers that succeed, by status. */
  responses: Readonly<Record<number, ResponseSpec>>;
  /** Error statuses particular to this route; auth, validation and 500 are added. */
  errors?: readonly ErrorStatus[];
}

/** A route as the server registers it and the client calls it: its definition, with every error status it can answer. */
export type ApiRoute<S extends RouteSpec = RouteSpec> = Readonly<S> & { readonly errors: readonly ErrorStatus[] };

/**
 * A route definition, with the error statuses every route of its kind can
 * answer: 401 and 403 unless public, 422 when it takes input, 413 and 415 when
 * it takes a body, and 500.
 *
 * @example
 * ```ts
 * const getRun = defineRoute({
 *   method: 'GET', path: '/runs/:runId', access: 'viewer', tag: 'runs', summary: 'The run status document',
 *   params: z.strictObject({ runId }), responses: { 200: runResourceSchema }, errors: [404],
 * });
 * ```
 */
export function defineRoute<const S extends RouteSpec>(spec: S): ApiRoute<S> {
  const errors = new Set<ErrorStatus>(spec.errors ?? []);
  if (spec.access !== 'public') for (const status of [401, 403] as const) errors.add(status);
  if (spec.params || spec.query || spec.body) errors.add(422);
  if (spec.body) for (const status of [413, 415] as const) errors.add(status);
  errors.add(500);
  return { ...spec, errors: [...errors].sort((a, b) => a - b) };
}

/** The error responses of a route by status: the error body for each of its error statuses. */
export function errorResponsesOf(route: Pick<ApiRoute, 'errors'>): Readonly<Record<number, typeof errorBodySchema>> {
  return Object.fromEntries(route.errors.map((status) => [status, errorBodySchema]));
}

/** The path parameters a route takes, as the client sends them. */
export type RouteParams<R extends ApiRoute> = R['params'] extends z.ZodObject ? z.input<R['params']> : undefined;
/** The query string a route takes, as the client sends it. */
export type RouteQuery<R extends ApiRoute> = R['query'] extends z.ZodObject ? z.input<R['query']> : undefined;
/** The body a route takes, as the client sends it. */
export type RouteBody<R extends ApiRoute> = R['body'] extends z.ZodType ? z.input<R['body']> : undefined;

type ResultOf<Spec> = Spec extends z.ZodType ? z.output<Spec> : unknown;
/** What a route answers when it succeeds (a union over its success statuses; `unknown` for streamed media). */
export type RouteResult<R extends ApiRoute> = {
  [Status in keyof R['responses']]: ResultOf<R['responses'][Status]>;
}[keyof R['responses']];

/** Whether a response is media (a stream) rather than a JSON body. */
export function isMediaResponse(spec: ResponseSpec): spec is MediaResponse {
  return !(spec instanceof z.ZodType);
}

/**
 * The path of a route with its parameters filled in, each URL-encoded (a task
 * path `outer/inner` travels as `outer%2Finner`).
 *
 * @example
 * ```ts
 * pathOf(apiRoutes.getStepLog, { runId: 'kiln-x', taskId: 'outer/inner' }); // '/runs/kiln-x/tasks/outer%2Finner/logs'
 * ```
 */
export function pathOf(route: Pick<ApiRoute, 'path'>, params: Readonly<Record<string, unknown>> = {}): string {
  return route.path.replace(/:([A-Za-z][A-Za-z0-9_]*)/g, (_match, name: string) => {
    const value = params[name];
    if (typeof value !== 'string' && typeof value !== 'number')
      throw new Error(`${route.path} needs the path parameter "${name}" (a string or a number)`);
    return encodeURIComponent(String(value));
  });
}

/** A route's answer, read: its success body, or why it is not one (status not an answer of the route, body off its schema). */
export type AnswerReading<R extends ApiRoute> = { ok: true; value: RouteResult<R> } | { ok: false; problem: string };

/**
 * Whether `body` is a success answer of `route` with `status`: the route's
 * schema for that status accepts it. The check behind {@link readAnswer}.
 */
export function isAnswerOf<R extends ApiRoute>(route: R, status: number, body: unknown): body is RouteResult<R> {
  const spec: ResponseSpec | undefined = route.responses[status];
  return spec !== undefined && !isMediaResponse(spec) && spec.safeParse(body).success;
}

/**
 * Reads a JSON answer of `route` against the contract, so a server that
 * answers off-contract (another version, a proxy's page) is caught where it
 * answers, with what was wrong.
 *
 * @example
 * ```ts
 * const answer = readAnswer(apiRoutes.getRun, response.status, await response.json());
 * if (!answer.ok) throw new Error(`GET /runs/${runId}: ${answer.problem}`);
 * answer.value.tasks; // TaskStatus[]
 * ```
 */
export function readAnswer<R extends ApiRoute>(route: R, status: number, body: unknown): AnswerReading<R> {
  if (isAnswerOf(route, status, body)) return { ok: true, value: body };
  const spec: ResponseSpec | undefined = route.responses[status];
  const expected = Object.keys(route.responses).join(' or ');
  if (spec === undefined)
    return { ok: false, problem: `HTTP ${status} is not an answer of this route (expected ${expected})` };
  if (isMediaResponse(spec))
    return {
      ok: false,
      problem: `HTTP ${status} answers ${Object.keys(spec.content).join(' or ')}: read it as a stream`,
    };
  const issues = spec.safeParse(body).error?.issues ?? [];
  const where = issues.slice(0, 3).map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  const more = issues.length > 3 ? `; ${issues.length - 3} more` : '';
  return { ok: false, problem: `the body does not match the API contract (${where.join('; ')}${more})` };
}
