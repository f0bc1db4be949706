/**
 * API errors: a status, a stable code clients branch on, a message a person
 * can act on, and optional details (JSON paths, parameter names).
 * Every error response is `{ error: { code, message, details? } }`; the codes
 * and the body are `@kiln/api-contract`'s.
 */
import type { ApiErrorCode, ErrorBody } from '@kiln/api-contract';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: unknown,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }

  /** The response body. */
  toJSON(): ErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details !== undefined ? { details: this.details } : {}),
      },
    };
  }
}

export const notFound = (message: string) => new ApiError(404, 'not-found', message);
export const conflict = (message: string, details?: unknown) => new ApiError(409, 'conflict', message, details);
export const invalidRequest = (message: string, details?: unknown) =>
  new ApiError(422, 'invalid-request', message, details);
export const tooLarge = (message: string) => new ApiError(413, 'payload-too-large', message);
