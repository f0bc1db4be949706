/**
 * The one place the UI talks HTTP: same origin as the API, the bearer token on
 * every request, errors turned into {@link ApiError}, JSON answers parsed with a
 * schema (never cast).
 */
import type { z } from 'zod';
import { ApiError } from './errors';
import { readToken } from './token';
import { errorBodySchema } from './wire';

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  readonly method?: 'GET' | 'POST' | 'DELETE';
  readonly query?: Query;
  /** Sent as JSON. */
  readonly body?: unknown;
  readonly signal?: AbortSignal;
}

/** A path of the API with its query string; the UI is served from the API's origin. */
export function apiPath(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, String(value));
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

async function errorOf(response: Response, what: string): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined; // not the API's JSON error body: a proxy's page, say
  }
  const body = errorBodySchema.safeParse(json);
  if (body.success) {
    const { code, message, details } = body.data.error;
    return new ApiError(response.status, code, message, details);
  }
  return new ApiError(response.status, 'http', `${what}: HTTP ${response.status} ${response.statusText}`.trim());
}

/** Sends a request with the bearer token; throws {@link ApiError} for anything but a 2xx answer. */
export async function send(path: string, options: RequestOptions = {}): Promise<Response> {
  const method = options.method ?? 'GET';
  const what = `${method} ${path}`;
  const token = readToken();
  if (!token) throw new ApiError(401, 'unauthorized', 'Sign in with an API token first.');
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(apiPath(path, options.query), {
      method,
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'network', `${what}: the API did not answer (${String(error)})`);
  }
  if (!response.ok) throw await errorOf(response, what);
  return response;
}

/** A JSON answer, parsed with `schema`; a different shape is an error that says where. */
export async function requestJson<S extends z.ZodType>(
  path: string,
  schema: S,
  options: RequestOptions = {},
): Promise<z.output<S>> {
  const response = await send(path, options);
  const parsed = schema.safeParse(await response.json());
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : '(top level)';
    throw new ApiError(
      response.status,
      'bad-response',
      `${options.method ?? 'GET'} ${path} answered in an unexpected shape at ${where}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}
