/**
 * Requests checked on the client by the API's own request schemas
 * (`@kiln/api-contract`), for calls straight on Temporal: the same defaults,
 * the same refusals and the same 422 message the API answers with.
 */
import { invalidRequestMessage, requestProblems } from '@kiln/api-contract';
import type { z } from 'zod';
import { KilnApiError } from './errors';

/**
 * `value` as `schema` reads it (defaults applied, durations normalized).
 * @throws KilnApiError 422 `invalid-request`, `details` listing `{ in, path, message }` for each problem
 *
 * @example
 * ```ts
 * const body = checkRequest(createScheduleBodySchema, { id: 'nightly', pipeline: { name: 'training' }, cron: '0 3 * * *', catchupWindow: '1h' });
 * ```
 */
export function checkRequest<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details = requestProblems('body', result.error.issues);
  throw new KilnApiError(422, 'invalid-request', invalidRequestMessage(details), { details });
}
