/**
 * Which Kubernetes API errors are worth trying again, and the loop that does so
 * (checklist item 11). Only transient failures retry: 429 (honouring
 * Retry-After), 5xx, dropped or refused connections, and — only where the
 * caller says an update may race — 409 Conflict. Everything else (403, 404,
 * 422, a 409 AlreadyExists on create) is an answer, not a hiccup, and goes
 * straight back to the caller, which knows what it means.
 */
import { ApiException } from '@kubernetes/client-node';

/** Node socket errors that mean "the connection, not the request, failed". */
const transientCodes = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

export interface TransientVerdict {
  transient: boolean;
  /** The server asked us to wait this long (429/503 with Retry-After). */
  retryAfterMs?: number;
}

/** The HTTP status of a client-node error, if it has one. */
export function statusOf(error: unknown): number | undefined {
  if (error instanceof ApiException) return error.code;
  // Watch errors carry the status as `statusCode` (client-node's watch.js).
  const statusCode = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof statusCode === 'number' ? statusCode : undefined;
}

function socketCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const errno = (e as { errno?: unknown }).errno;
    if (typeof errno === 'string') return errno;
  }
  return undefined;
}

function retryAfter(error: unknown): number | undefined {
  if (!(error instanceof ApiException)) return undefined;
  const headers = error.headers as Record<string, string | undefined>;
  const value = headers['retry-after'] ?? headers['Retry-After'];
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/**
 * Whether a failed call may succeed if repeated unchanged.
 *
 * @example
 * ```ts
 * isTransient(new ApiException(503, 'x', {}, { 'retry-after': '2' })) // { transient: true, retryAfterMs: 2000 }
 * isTransient(new ApiException(409, 'x', {}, {}), { conflicts: true }) // { transient: true }
 * ```
 */
export function isTransient(error: unknown, options: { conflicts?: boolean } = {}): TransientVerdict {
  const status = statusOf(error);
  if (status !== undefined) {
    if (status === 429 || status >= 500) {
      const after = retryAfter(error);
      return after === undefined ? { transient: true } : { transient: true, retryAfterMs: after };
    }
    if (status === 409 && options.conflicts) return { transient: true };
    // client-node reports a failed fetch as code 0 or 500 without a body; 0 means no response at all.
    if (status === 0) return { transient: true };
    return { transient: false };
  }
  const code = socketCode(error);
  if (code && transientCodes.has(code)) return { transient: true };
  // node-fetch's FetchError wraps socket failures as type 'system'; our request timeouts abort ('aborted').
  const type = (error as { type?: unknown; name?: unknown } | null)?.type;
  if (type === 'system' || type === 'aborted' || (error as { name?: unknown } | null)?.name === 'AbortError')
    return { transient: true };
  const message = String((error as Error | null)?.message ?? '');
  return { transient: /socket hang up|ECONNRESET|ECONNREFUSED|network|premature close/i.test(message) };
}

export interface ApiRetryOptions {
  /** Total tries, the first included. Default 6 (about 30 s with the default backoff). */
  attempts?: number;
  /** First backoff; doubles each time up to `maxDelayMs`. Default 500 ms. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Treat 409 Conflict as transient: for updates that may race another writer. */
  conflicts?: boolean;
  signal?: AbortSignal;
  onRetry?: (error: unknown, delayMs: number, attempt: number) => void;
}

/**
 * Calls `fn` until it succeeds, fails for a non-transient reason, runs out of
 * attempts, or `signal` aborts; the last error is rethrown as it was.
 *
 * @example
 * ```ts
 * const pod = await withApiRetry(() => core.readNamespacedPod({ namespace, name }), { signal });
 * ```
 */
export async function withApiRetry<T>(fn: () => Promise<T>, options: ApiRetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 6;
  let delay = options.initialDelayMs ?? 500;
  const maxDelay = options.maxDelayMs ?? 8_000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      const verdict = isTransient(error, { conflicts: options.conflicts });
      if (!verdict.transient || attempt >= attempts || options.signal?.aborted) throw error;
      // Jitter spreads out many workers that lost the same API server at once.
      const wait = verdict.retryAfterMs ?? Math.round(delay * (0.75 + Math.random() * 0.5));
      options.onRetry?.(error, wait, attempt);
      await sleep(wait, options.signal);
      delay = Math.min(delay * 2, maxDelay);
    }
  }
}

/** Resolves after `ms`, or early (without throwing) when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
