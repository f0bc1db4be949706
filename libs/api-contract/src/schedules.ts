/**
 * `/schedules`: Temporal Schedules that start runs of a stored pipeline, on
 * cron expressions or a fixed interval; pause, resume, trigger, backfill, delete.
 */
import {
  noScheduleTimesMessage,
  scheduleOverlapSchema,
  scheduleSchema,
  scheduleSummarySchema,
} from '@kiln/engine-contract/schemas';
import { z } from 'zod';
import { executor, isoTime, pageSize, pageToken, paramsObject, pipelineRef, queryValue, scheduleId } from './fields';
import { defineRoute } from './route';

/** The longest duration a schedule takes anywhere (interval, offset, catch-up window): ten years. */
export const maxScheduleDurationSeconds = 3660 * 24 * 3600;

const unitSeconds: Record<string, number> = {
  ms: 0.001,
  ...Object.fromEntries(['s', 'sec', 'secs', 'second', 'seconds'].map((u) => [u, 1])),
  ...Object.fromEntries(['m', 'min', 'mins', 'minute', 'minutes'].map((u) => [u, 60])),
  ...Object.fromEntries(['h', 'hour', 'hours'].map((u) => [u, 3600])),
  ...Object.fromEntries(['d', 'day', 'days'].map((u) => [u, 86_400])),
};

/**
 * Seconds in a duration like `90s`, `15 minutes`, `1.5h`, `2d`, or undefined if it is not one.
 *
 * @example
 * ```ts
 * durationSeconds('15 minutes'); // 900
 * ```
 */
export function durationSeconds(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|secs?|seconds?|mins?|minutes?|hours?|days?)$/.exec(text);
  if (!match?.[1] || !match[2]) return undefined;
  const seconds = unitSeconds[match[2]];
  return seconds === undefined ? undefined : Number(match[1]) * seconds;
}

const durationProblem = (seconds: number | undefined) =>
  seconds === undefined
    ? 'must be a duration like 2s, 15m, 1h, 1d (or seconds as a number)'
    : seconds < 1
      ? 'must be at least 1 second'
      : seconds > maxScheduleDurationSeconds
        ? `must be at most ${maxScheduleDurationSeconds / 86_400}d (ten years); it is not clamped`
        : undefined;

/**
 * Durations as Temporal takes them ("2s", "15 minutes", "1d") or whole seconds,
 * from 1 second to ten years: a larger one is refused, never clamped (Temporal
 * would otherwise cap `99999999999999999999d` silently).
 */
export const durationSchema = z
  .union([
    z
      .number()
      .int()
      .transform((s) => `${s}s`),
    z.string().max(64),
  ])
  .superRefine((text, ctx) => {
    const problem = durationProblem(durationSeconds(text));
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const timezoneSchema = z
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

const note = z.string().max(1000).optional();

export const createScheduleBodySchema = z
  .strictObject({
    id: scheduleId,
    pipeline: pipelineRef,
    params: paramsObject,
    experiment: queryValue.optional(),
    executor: executor.optional(),
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
      .strictObject({ every: durationSchema, offset: durationSchema.optional() })
      .optional()
      .describe('Fixed interval, e.g. { every: "1h" }'),
    timezone: timezoneSchema.default('UTC').describe('IANA time zone of the cron expressions'),
    overlap: scheduleOverlapSchema.default('SKIP'),
    catchupWindow: durationSchema.describe(
      'How late a missed run (server down, paused) may still start; required so nobody is surprised by a burst of old runs',
    ),
    pauseOnFailure: z.boolean().default(false),
    paused: z.boolean().default(false).describe('Create the schedule paused'),
    note,
    startAt: isoTime.optional(),
    endAt: isoTime.optional(),
  })
  .refine((body) => body.cron !== undefined || body.interval !== undefined, {
    error: noScheduleTimesMessage,
    path: ['cron'],
  })
  .refine((body) => !body.startAt || !body.endAt || Date.parse(body.startAt) < Date.parse(body.endAt), {
    error: 'startAt must be before endAt: the schedule would never fire',
    path: ['startAt'],
  })
  .refine((body) => !body.endAt || Date.parse(body.endAt) > Date.now(), {
    error: 'endAt is in the past: the schedule would never fire',
    path: ['endAt'],
  })
  .refine(
    (body) =>
      !body.interval?.offset ||
      (durationSeconds(body.interval.offset) ?? 0) < (durationSeconds(body.interval.every) ?? Infinity),
    { error: 'interval.offset must be shorter than interval.every', path: ['interval', 'offset'] },
  );

export const listSchedulesQuerySchema = z.strictObject({ pageSize: pageSize(100), pageToken: pageToken.optional() });

export const schedulePageSchema = z.object({
  schedules: z.array(scheduleSummarySchema),
  nextPageToken: z.string().optional().describe('Pass as pageToken for the next page; absent on the last page'),
});

/** A pause or resume: an optional note, shown in Temporal (default: who did it). */
export const scheduleNoteBodySchema = z.strictObject({ note }).nullish();

export const triggerBodySchema = z
  .strictObject({ overlap: scheduleOverlapSchema.optional().describe('Default ALLOW_ALL') })
  .nullish();

export const triggeredSchema = z.object({ id: z.string(), triggered: z.literal(true) });

/** At most a year per backfill: a mistyped year must not start thousands of runs. */
const maxBackfillMs = 366 * 24 * 3600 * 1000;

export const backfillBodySchema = z
  .strictObject({
    start: isoTime,
    end: isoTime,
    overlap: scheduleOverlapSchema.default('ALLOW_ALL').describe('Default ALLOW_ALL: every missed action runs'),
  })
  .refine((b) => Date.parse(b.start) < Date.parse(b.end), {
    error: 'backfill start must be before end',
    path: ['start'],
  })
  .refine((b) => Date.parse(b.end) - Date.parse(b.start) <= maxBackfillMs, {
    error: 'backfill at most one year at a time',
    path: ['end'],
  });

export const backfilledSchema = z.object({
  id: z.string(),
  backfill: z.object({ start: z.string(), end: z.string(), overlap: scheduleOverlapSchema }),
});

const idParams = z.strictObject({ id: scheduleId });

export const scheduleRoutes = {
  createSchedule: defineRoute({
    method: 'POST',
    path: '/schedules',
    access: 'operator',
    tag: 'schedules',
    summary: 'Create a schedule (cron or interval)',
    body: createScheduleBodySchema,
    responses: { 201: scheduleSchema },
    errors: [404, 409],
  }),
  listSchedules: defineRoute({
    method: 'GET',
    path: '/schedules',
    access: 'viewer',
    tag: 'schedules',
    summary: 'List schedules (Temporal visibility; a new schedule appears after a moment)',
    query: listSchedulesQuerySchema,
    responses: { 200: schedulePageSchema },
  }),
  getSchedule: defineRoute({
    method: 'GET',
    path: '/schedules/:id',
    access: 'viewer',
    tag: 'schedules',
    summary: 'A schedule with its recent and next runs',
    params: idParams,
    responses: { 200: scheduleSchema },
    errors: [404],
  }),
  pauseSchedule: defineRoute({
    method: 'POST',
    path: '/schedules/:id/pause',
    access: 'operator',
    tag: 'schedules',
    summary: 'Pause',
    params: idParams,
    body: scheduleNoteBodySchema,
    responses: { 200: scheduleSchema },
    errors: [404],
  }),
  resumeSchedule: defineRoute({
    method: 'POST',
    path: '/schedules/:id/resume',
    access: 'operator',
    tag: 'schedules',
    summary: 'Resume',
    params: idParams,
    body: scheduleNoteBodySchema,
    responses: { 200: scheduleSchema },
    errors: [404],
  }),
  triggerSchedule: defineRoute({
    method: 'POST',
    path: '/schedules/:id/trigger',
    access: 'operator',
    tag: 'schedules',
    summary: 'Start a run now',
    params: idParams,
    body: triggerBodySchema,
    responses: { 202: triggeredSchema },
    errors: [404],
  }),
  backfillSchedule: defineRoute({
    method: 'POST',
    path: '/schedules/:id/backfill',
    access: 'operator',
    tag: 'schedules',
    summary: 'Run every action the schedule would have taken in [start, end)',
    params: idParams,
    body: backfillBodySchema,
    responses: { 202: backfilledSchema },
    errors: [404],
  }),
  deleteSchedule: defineRoute({
    method: 'DELETE',
    path: '/schedules/:id',
    access: 'operator',
    tag: 'schedules',
    summary: 'Delete a schedule (runs it started are kept)',
    params: idParams,
    responses: { 204: z.undefined().describe('Deleted') },
    errors: [404],
  }),
};
