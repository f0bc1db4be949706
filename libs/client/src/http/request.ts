/**
 * Typed HTTP calls to the Kiln API with Node's global fetch, by the routes of
 * `@kiln/api-contract`: the path and method come from the route, the
 * parameters, query and body are typed by its schemas, and every answer is
 * read against them. A non-2xx answer becomes a `KilnApiError` from the API's
 * `{ error: { code, message, details? } }` body; a 2xx answer off the contract
 * (another server, another version) becomes a `KilnApiError` that says what
 * did not match.
 */
import { anyErrorBodySchema, pathOf, readAnswer, type ApiRoute, type RouteResult } from '@kiln/api-contract';
import type { z } from 'zod';
import { KilnApiError, type KilnErrorCode } from '../errors';

export interface ApiConnection {
  /** Base URL, e.g. `http://127.0.0.1:8080`. */
  url: string;
  /** Bearer token (omit only against a server with auth disabled). */
  token?: string;
  /** Per-request timeout (default 30 s; log follows are not limited). */
  timeoutMs?: number;
  /** A custom fetch (proxies, tests); default the global one. */
  fetch?: typeof fetch;
}

/** What a call of `route` sends: its path parameters, query and body as the contract types them. */
export type CallInput<R extends ApiRoute> = (R['params'] extends z.ZodObject
  ? { params: z.input<R['params']> }
  : { params?: undefined }) &
  (R['query'] extends z.ZodObject ? { query?: z.input<R['query']> } : { query?: undefined }) &
  (R['body'] extends z.ZodType ? { body: z.input<R['body']> } : { body?: undefined }) & {
    /** The body's media type when it is text (pipeline uploads: JSON or YAML); JSON otherwise. */
    contentType?: string;
    signal?: AbortSignal;
    /** No timeout (streams). */
    noTimeout?: boolean;
  };

/** A call's parts as they go on the wire. */
interface WireRequest {
  params?: Readonly<Record<string, unknown>>;
  query?: Readonly<Record<string, unknown>>;
  body?: unknown;
  contentType?: string;
  signal?: AbortSignal;
  noTimeout?: boolean;
}

export class ApiRequester {
  private readonly base: string;
  private readonly fetch: typeof fetch;

  constructor(private readonly connection: ApiConnection) {
    this.base = connection.url.replace(/\/+$/, '');
    this.fetch = connection.fetch ?? globalThis.fetch;
  }

  /**
   * Calls `route` and reads its JSON answer against the contract.
   * @throws KilnApiError (the API's error, `unavailable` when nothing answered, `unsupported` for an answer off the contract)
   *
   * @example
   * ```ts
   * const run = await api.call(apiRoutes.getRun, { params: { runId } }); // RunResource
   * ```
   */
  async call<R extends ApiRoute>(route: R, input: CallInput<R>): Promise<RouteResult<R>> {
    const response = await this.open(route, input);
    const body: unknown = response.status === 204 ? undefined : await response.json().catch(() => response.statusText);
    const answer = readAnswer(route, response.status, body);
    if (answer.ok) return answer.value;
    throw new KilnApiError(
      response.status,
      'unsupported',
      `${route.method} ${response.url || route.path}: ${answer.problem}; is ${this.base} a Kiln API of this client's version?`,
      { details: body },
    );
  }

  /** The raw response of a successful call (streams: logs, artifact bytes). @throws KilnApiError */
  async open<R extends ApiRoute>(route: R, input: CallInput<R>): Promise<Response> {
    return this.send(route, input);
  }

  private async send(route: ApiRoute, request: WireRequest): Promise<Response> {
    const path = pathOf(route, request.params);
    const url = new URL(this.base + path);
    for (const [key, value] of Object.entries(request.query ?? {}))
      if (value !== undefined) url.searchParams.set(key, String(value));
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.connection.token) headers['authorization'] = `Bearer ${this.connection.token}`;
    let body: string | undefined;
    if (typeof request.body === 'string' && request.contentType) {
      body = request.body;
      headers['content-type'] = request.contentType;
    } else if (request.body !== undefined) {
      body = JSON.stringify(request.body);
      headers['content-type'] = 'application/json';
    }
    const signals = [
      request.signal,
      request.noTimeout ? undefined : AbortSignal.timeout(this.connection.timeoutMs ?? 30_000),
    ].filter((s): s is AbortSignal => s !== undefined);
    let response: Response;
    try {
      response = await this.fetch(url, {
        method: route.method,
        headers,
        ...(body === undefined ? {} : { body }),
        ...(signals.length ? { signal: AbortSignal.any(signals) } : {}),
      });
    } catch (error) {
      const reason =
        error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
      throw new KilnApiError(
        0,
        'unavailable',
        `${route.method} ${url.origin}${path}: the Kiln API did not answer (${reason})`,
        { cause: error },
      );
    }
    if (!response.ok) throw await errorOf(route.method, path, response);
    return response;
  }
}

/** What a status means when the body is not the API's error shape (a proxy, or not a Kiln API at all). */
function codeOfStatus(status: number): KilnErrorCode {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  return status >= 500 ? 'unavailable' : 'invalid-request';
}

async function errorOf(method: string, path: string, response: Response): Promise<KilnApiError> {
  const text = await response.text().catch(() => '');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const body = anyErrorBodySchema.safeParse(parsed);
  if (body.success) {
    const { code, message, details } = body.data.error;
    return new KilnApiError(response.status, code, message, details === undefined ? {} : { details });
  }
  return new KilnApiError(
    response.status,
    codeOfStatus(response.status),
    `${method} ${path}: HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`,
  );
}
