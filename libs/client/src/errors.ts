/**
 * Errors the client throws. Both transports throw the same classes with the
 * same codes, so callers branch on `code` (or `status`) whichever they use.
 */
import type { ApiErrorCode } from '@kiln/api-contract';
import type { RunStatusDocument } from '@kiln/engine-client';

/**
 * What the client itself can tell besides the API's codes: `unavailable` (the
 * server did not answer), `unsupported` (the transport cannot do this, e.g.
 * pipeline storage straight on Temporal; or the server answered off the API
 * contract, another server or version) and `digest-mismatch` (a download's
 * bytes do not match the artifact's sha256; nothing is left at the target
 * path, and downloading again may succeed).
 */
export const clientErrorCodes = ['unavailable', 'unsupported', 'digest-mismatch'] as const;

/** The API's error codes (`@kiln/api-contract`'s `apiErrorCodes`, the `{ error: { code } }` of its answers) and the client's own. */
export type KilnErrorCode = ApiErrorCode | (typeof clientErrorCodes)[number];

const retryableCodes: ReadonlySet<string> = new Set<KilnErrorCode>([
  'unavailable',
  'not-ready',
  'too-many-requests',
  'internal',
  'digest-mismatch',
]);

/**
 * A request the server (or Temporal) refused, or could not answer.
 *
 * @example
 * ```ts
 * try {
 *   await client.runs.cancel(runId);
 * } catch (error) {
 *   if (error instanceof KilnApiError && error.code === 'conflict') console.log('already finished');
 *   else throw error;
 * }
 * ```
 */
export class KilnApiError extends Error {
  override readonly name = 'KilnApiError';
  /**
   * The HTTP status (over the API), or the status the API would have answered
   * (straight on Temporal); 0 when no server answered.
   */
  readonly status: number;
  /** Stable: branch on this, not on the message. Unknown codes from a newer server pass through as they are. */
  readonly code: KilnErrorCode | (string & {});
  /** Extra data from the server: failing fields, JSON paths, parameter names. */
  readonly details: unknown;
  /** Whether trying the same call again later can succeed. */
  readonly retryable: boolean;

  constructor(
    status: number,
    code: KilnErrorCode | (string & {}),
    message: string,
    options?: { details?: unknown; cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.status = status;
    this.code = code;
    this.details = options?.details;
    this.retryable = retryableCodes.has(code) || status === 429 || status === 502 || status === 503 || status === 504;
  }
}

/**
 * `runs.result` of a run that ended FAILED or CANCELLED. The final status
 * document says which tasks failed and why.
 *
 * @example
 * ```ts
 * try {
 *   await client.runs.result(runId);
 * } catch (error) {
 *   if (error instanceof KilnRunFailedError) console.log(error.run.tasks.filter((t) => t.state === 'failed'));
 * }
 * ```
 */
export class KilnRunFailedError extends Error {
  override readonly name = 'KilnRunFailedError';
  readonly run: RunStatusDocument;
  readonly state: 'FAILED' | 'CANCELLED';

  constructor(run: RunStatusDocument & { state: 'FAILED' | 'CANCELLED' }) {
    const failed = run.tasks.filter((t) => t.state === 'failed').map((t) => t.id);
    super(
      `run ${run.runId} ${run.state === 'CANCELLED' ? 'was cancelled' : 'failed'}` +
        (run.error ? `: ${run.error}` : failed.length ? `: failed tasks ${[...new Set(failed)].join(', ')}` : ''),
    );
    this.run = run;
    this.state = run.state;
  }
}

/** `unsupported` for calls a transport cannot serve. */
export function unsupported(what: string, why: string): KilnApiError {
  return new KilnApiError(501, 'unsupported', `${what} is not available ${why}`);
}
