/**
 * Temporal's refusals that mean a mistake of the caller ("no such run", "no
 * such schedule", "that schedule id is taken") as {@link KilnRequestError}s,
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
  return undefined;
}
