/**
 * Temporal's refusals that mean a mistake of the caller ("no such run", "no
 * such schedule", "that schedule id is taken", any gRPC INVALID_ARGUMENT) as {@link KilnRequestError}s,
 * so the API answers them and the client throws them with the same status,
 * code and message.
 */
import { ScheduleAlreadyRunning, ScheduleNotFoundError, WorkflowNotFoundError } from '@temporalio/client';
import { KilnRequestError } from './errors';

/**
 * The request error `error` stands for, or undefined when it is not one (a
 * `KilnRequestError` passes as it is).
 *
 * @example
 * ```ts
 * const refused = requestRefusalOf(error);
 * if (refused) reply.status(refused.status).send({ error: { code: refused.code, message: refused.message } });
 * ```
 */
export function requestRefusalOf(error: unknown): KilnRequestError | undefined {
  if (error instanceof KilnRequestError) return error;
  if (error instanceof WorkflowNotFoundError)
    return new KilnRequestError('not-found', `run ${JSON.stringify(error.workflowId)} not found`, undefined, {
      cause: error,
    });
  if (error instanceof ScheduleNotFoundError)
    return new KilnRequestError('not-found', `schedule ${JSON.stringify(error.scheduleId)} not found`, undefined, {
      cause: error,
    });
  if (error instanceof ScheduleAlreadyRunning)
    return new KilnRequestError('conflict', `schedule ${JSON.stringify(error.scheduleId)} already exists`, undefined, {
      cause: error,
    });
  const invalid = invalidArgumentOf(error);
  if (invalid !== undefined)
    return new KilnRequestError('invalid-request', `Temporal refused the request: ${invalid}`, undefined, {
      cause: error,
    });
  return undefined;
}

/** gRPC status 3 (INVALID_ARGUMENT), as the connection throws it or wrapped in the SDK's `ServiceError`: its details. */
function invalidArgumentOf(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 3; e = e.cause, depth++) {
    const { code, details } = e as Error & { code?: unknown; details?: unknown };
    if (code === 3) return typeof details === 'string' && details ? details : e.message;
  }
  return undefined;
}
