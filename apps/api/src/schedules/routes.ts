/** `/schedules`: Temporal Schedules that start runs. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiDeps } from '../deps';
import { invalidRequest } from '../errors';
import { paramsObject, pipelineRef, queryValue, scheduleId } from '../schemas';
import { createSchedule, getSchedule, listSchedules, rejectedArgument } from './service';

const overlap = z.enum(['SKIP', 'BUFFER_ONE', 'BUFFER_ALL', 'CANCEL_OTHER', 'TERMINATE_OTHER', 'ALLOW_ALL']);
/** Durations as Temporal takes them ("2s", "15 minutes", "1d") or whole seconds. */
const duration = z.union([
  z
    .number()
    .int()
    .min(1)
    .transform((s) => `${s}s`),
  z.string().regex(/^\d+(\.\d+)?\s*(ms|s|m|h|d|sec|secs|seconds?|mins?|minutes?|hours?|days?)$/, {
    error: 'must be a duration like 2s, 15m, 1h, 1d (or seconds as a number)',
  }),
]);
const timezone = z
  .string()
  .max(64)
  .refine(
    (tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    },
    { error: 'must be an IANA time zone such as UTC or Europe/Paris' },
  );
const isoTime = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 time, e.g. 2025-01-01T00:00:00Z' });
const note = z.string().max(1000).optional();

const createBody = z.strictObject({
  id: scheduleId,
  pipeline: pipelineRef,
  params: paramsObject,
  experiment: queryValue.optional(),
  executor: z.enum(['local', 'kubernetes']).optional(),
  cache: z.boolean().optional(),
  cron: z
    .union([
      z
        .string()
        .min(1)
        .max(200)
        .transform((c) => [c]),
      z.array(z.string().min(1).max(200)).min(1).max(20),
    ])
    .optional()
    .describe('Cron expression(s), e.g. "0 3 * * *"'),
  interval: z
    .strictObject({ every: duration, offset: duration.optional() })
    .optional()
    .describe('Fixed interval, e.g. { every: "1h" }'),
  timezone: timezone.default('UTC'),
  overlap: overlap.default('SKIP').describe('What to do when a run is due while the previous one still runs'),
  catchupWindow: duration.describe(
    'How late a missed run (server down, paused) may still start; required so nobody is surprised by a burst of old runs',
  ),
  pauseOnFailure: z.boolean().default(false),
  paused: z.boolean().default(false),
  note,
  startAt: isoTime.optional(),
  endAt: isoTime.optional(),
});

/**
 * @example
 * ```ts
 * await app.register(scheduleRoutes(deps));
 * ```
 */
export function scheduleRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  const handle = (id: string) => deps.client.schedule.getHandle(id);
  const idParams = z.strictObject({ id: scheduleId });
  return async (app) => {
    app.post(
      '/schedules',
      {
        config: { role: 'operator' },
        bodyLimit: 64 * 1024 + deps.limits.paramsBytes,
        schema: { tags: ['schedules'], summary: 'Create a schedule (cron or interval)', body: createBody },
      },
      async (request, reply) => {
        const created = await createSchedule(deps, request.body, request.principal?.name ?? 'anonymous');
        return reply.status(201).header('location', `/schedules/${created.id}`).send(created);
      },
    );

    app.get(
      '/schedules',
      {
        schema: {
          tags: ['schedules'],
          summary: 'List schedules (Temporal visibility; a new schedule appears after a moment)',
          querystring: z.strictObject({
            pageSize: z.coerce.number().int().min(1).max(1000).default(100),
            pageToken: z
              .string()
              .regex(/^[A-Za-z0-9_-]{1,4096}$/)
              .optional(),
          }),
        },
      },
      async (request) => listSchedules(deps, request.query.pageSize, request.query.pageToken),
    );

    app.get(
      '/schedules/:id',
      {
        schema: { tags: ['schedules'], summary: 'A schedule with its recent and next runs', params: idParams },
      },
      async (request) => getSchedule(deps, request.params.id),
    );

    app.post(
      '/schedules/:id/pause',
      {
        config: { role: 'operator' },
        schema: { tags: ['schedules'], summary: 'Pause', params: idParams, body: z.strictObject({ note }).nullish() },
      },
      async (request) => {
        await handle(request.params.id).pause(
          request.body?.note ?? `paused by ${request.principal?.name ?? 'anonymous'}`,
        );
        return getSchedule(deps, request.params.id);
      },
    );

    app.post(
      '/schedules/:id/resume',
      {
        config: { role: 'operator' },
        schema: { tags: ['schedules'], summary: 'Resume', params: idParams, body: z.strictObject({ note }).nullish() },
      },
      async (request) => {
        await handle(request.params.id).unpause(
          request.body?.note ?? `resumed by ${request.principal?.name ?? 'anonymous'}`,
        );
        return getSchedule(deps, request.params.id);
      },
    );

    app.post(
      '/schedules/:id/trigger',
      {
        config: { role: 'operator' },
        schema: {
          tags: ['schedules'],
          summary: 'Start a run now',
          params: idParams,
          body: z.strictObject({ overlap: overlap.optional() }).nullish(),
        },
      },
      async (request, reply) => {
        await getSchedule(deps, request.params.id); // 404 before anything else
        await handle(request.params.id).trigger(request.body?.overlap ?? 'ALLOW_ALL');
        return reply.status(202).send({ id: request.params.id, triggered: true });
      },
    );

    app.post(
      '/schedules/:id/backfill',
      {
        config: { role: 'operator' },
        schema: {
          tags: ['schedules'],
          summary: 'Run every action the schedule would have taken in [start, end)',
          params: idParams,
          body: z.strictObject({ start: isoTime, end: isoTime, overlap: overlap.default('ALLOW_ALL') }),
        },
      },
      async (request, reply) => {
        const start = new Date(request.body.start);
        const end = new Date(request.body.end);
        if (!(start < end))
          throw invalidRequest('backfill start must be before end', [{ path: 'start', message: 'must be before end' }]);
        if (end.getTime() - start.getTime() > 366 * 24 * 3600 * 1000)
          throw invalidRequest('backfill at most one year at a time');
        await getSchedule(deps, request.params.id);
        try {
          await handle(request.params.id).backfill({ start, end, overlap: request.body.overlap });
        } catch (error) {
          throw rejectedArgument(error) ?? error;
        }
        return reply.status(202).send({
          id: request.params.id,
          backfill: { start: start.toISOString(), end: end.toISOString(), overlap: request.body.overlap },
        });
      },
    );

    app.delete(
      '/schedules/:id',
      {
        config: { role: 'operator' },
        schema: { tags: ['schedules'], summary: 'Delete a schedule (runs it started are kept)', params: idParams },
      },
      async (request, reply) => {
        await handle(request.params.id).delete();
        return reply.status(204).send();
      },
    );
  };
}
