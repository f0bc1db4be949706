/** What a failed API call says: the HTTP status and the API's error body (docs/api.md, "Errors"). */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    /** HTTP status; 0 when the request never got an answer. */
    readonly status: number,
    /** The API's error code (`not-found`, `forbidden`, ...), or `network` / `bad-response`. */
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  /** The token is missing, unknown or expired: the user must sign in again. */
  get signInNeeded(): boolean {
    return this.status === 401;
  }
}
