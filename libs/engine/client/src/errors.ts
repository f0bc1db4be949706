/**
 * What the run and schedule helpers refuse, as data: a stable code the API
 * turns into its HTTP status and the client into a `KilnApiError`, so both
 * answer the same thing for the same mistake.
 */

/** `not-found` (404), `conflict` (409: the run or schedule is in the wrong state), `invalid-request` (422). */
export type KilnRequestErrorCode = 'not-found' | 'conflict' | 'invalid-request';

const statusOf: Record<KilnRequestErrorCode, number> = { 'not-found': 404, conflict: 409, 'invalid-request': 422 };

/**
 * A request the helpers refuse. Never retryable: the same call fails the same way.
 *
 * @example
 * ```ts
 * try {
 *   await cancelKilnRun(client, runId);
 * } catch (error) {
 *   if (error instanceof KilnRequestError && error.code === 'conflict') console.log('already ended');
 * }
 * ```
 */
export class KilnRequestError extends Error {
  override readonly name = 'KilnRequestError';
  /** The HTTP status the API answers with. */
  readonly status: number;

  constructor(
    readonly code: KilnRequestErrorCode,
    message: string,
    /** What was wrong, for clients: `{ path, message }` entries. */
    readonly details?: { path: string; message: string }[],
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.status = statusOf[code];
  }
}
