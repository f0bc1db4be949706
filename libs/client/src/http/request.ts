/**
 * Typed HTTP calls to the Kiln API with Node's global fetch: bearer token,
 * JSON in and out, and every non-2xx answer turned into a `KilnApiError` from
 * the API's `{ error: { code, message, details? } }` body.
 */
import { KilnApiError } from '../errors';

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

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  query?: Query;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as it is, with `contentType`. */
  text?: string;
  contentType?: string;
  signal?: AbortSignal;
  /** No timeout (streams). */
  noTimeout?: boolean;
}

export class ApiRequester {
  private readonly base: string;
  private readonly fetch: typeof fetch;

  constructor(private readonly connection: ApiConnection) {
    this.base = connection.url.replace(/\/+$/, '');
    this.fetch = connection.fetch ?? globalThis.fetch;
  }

  /** The raw response of a successful call. @throws KilnApiError */
  async send(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const url = new URL(this.base + path);
    for (const [key, value] of Object.entries(options.query ?? {}))
      if (value !== undefined) url.searchParams.set(key, String(value));
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.connection.token) headers['authorization'] = `Bearer ${this.connection.token}`;
    let body: string | undefined;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] = 'application/json';
    } else if (options.text !== undefined) {
      body = options.text;
      headers['content-type'] = options.contentType ?? 'text/plain';
    }
    const signals = [
      options.signal,
      options.noTimeout ? undefined : AbortSignal.timeout(this.connection.timeoutMs ?? 30_000),
    ].filter((s): s is AbortSignal => s !== undefined);
    let response: Response;
    try {
      response = await this.fetch(url, {
        method,
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
        `${method} ${url.origin}${path}: the Kiln API did not answer (${reason})`,
        { cause: error },
      );
    }
    if (!response.ok) throw await errorOf(method, path, response);
    return response;
  }

  /** A JSON answer. @throws KilnApiError */
  async json<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.send(method, path, options);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }
}

async function errorOf(method: string, path: string, response: Response): Promise<KilnApiError> {
  const text = await response.text().catch(() => '');
  let parsed: { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined;
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    parsed = undefined;
  }
  const err = parsed?.error;
  if (err && typeof err.code === 'string' && typeof err.message === 'string') {
    return new KilnApiError(
      response.status,
      err.code,
      err.message,
      err.details === undefined ? {} : { details: err.details },
    );
  }
  // Not the API's error shape: a proxy, or not a Kiln API at all.
  const code =
    response.status === 401
      ? 'unauthorized'
      : response.status === 403
        ? 'forbidden'
        : response.status === 404
          ? 'not-found'
          : response.status >= 500
            ? 'unavailable'
            : 'invalid-request';
  return new KilnApiError(
    response.status,
    code,
    `${method} ${path}: HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`,
  );
}

/** Path segment, escaped. */
export const seg = (value: string) => encodeURIComponent(value);
