/** Temporal's errors as the `KilnApiError`s the API would have answered, so callers branch the same way on either transport. */
import { requestRefusalOf } from '@kiln/engine-client';
import { KilnApiError } from '../errors';

/** gRPC status codes that mean something to a caller. */
const grpc = {
  invalidArgument: 3,
  notFound: 5,
  alreadyExists: 6,
  permissionDenied: 7,
  unavailable: 14,
  unauthenticated: 16,
} as const;

export function fromTemporal(error: unknown): unknown {
  if (error instanceof KilnApiError) return error;
  const refused = requestRefusalOf(error);
  if (refused)
    return new KilnApiError(refused.status, refused.code, refused.message, {
      cause: error,
      ...(refused.details ? { details: refused.details } : {}),
    });
  // The SDK parses cron expressions itself and throws a TypeError for a bad one.
  if (error instanceof TypeError) return new KilnApiError(422, 'invalid-request', error.message, { cause: error });
  const e = error as { code?: number; details?: string; message?: string; cause?: { code?: number; details?: string } };
  const code = e.code ?? e.cause?.code;
  const message = e.details ?? e.cause?.details ?? e.message ?? String(error);
  switch (code) {
    case grpc.invalidArgument:
      return new KilnApiError(422, 'invalid-request', `Temporal refused the request: ${message}`, { cause: error });
    case grpc.notFound:
      return new KilnApiError(404, 'not-found', message, { cause: error });
    case grpc.alreadyExists:
      return new KilnApiError(409, 'conflict', message, { cause: error });
    case grpc.permissionDenied:
      return new KilnApiError(403, 'forbidden', message, { cause: error });
    case grpc.unauthenticated:
      return new KilnApiError(401, 'unauthorized', message, { cause: error });
    case grpc.unavailable:
      return new KilnApiError(0, 'unavailable', `Temporal did not answer: ${message}`, { cause: error });
    default:
      return error;
  }
}

/** Runs `fn`, rethrowing Temporal's errors as `KilnApiError`s. */
export async function temporalCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw fromTemporal(error);
  }
}
