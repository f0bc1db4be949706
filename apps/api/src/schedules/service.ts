/**
 * Schedules: the request checked and the pipeline resolved here, the Temporal
 * Schedule made and read by `@kiln/engine/client` (shared with the client's
 * Temporal transport, so a schedule made either way reads the same).
 */
import type { backfillBodySchema, createScheduleBodySchema } from '@kiln/api-contract';
import { durationSeconds } from '@kiln/api-contract';
import {
  countScheduleActions,
  createKilnSchedule,
  describeKilnSchedule,
  listKilnSchedules,
  type KilnSchedule,
  type KilnScheduleSummary,
  type ScheduleOverlap,
} from '@kiln/engine-client';
import type { z } from 'zod';
import type { ApiDeps } from '../deps';
import { invalidRequest } from '../errors';
import { checkRunParams } from '../runs/start';

/** A `POST /schedules` body as validated (defaults applied, durations as Temporal takes them). */
export type CreateSchedule = z.output<typeof createScheduleBodySchema>;
/** A backfill body as validated: `start` before `end`, at most a year apart. */
export type Backfill = z.output<typeof backfillBodySchema>;

/**
 * @throws ApiError 404 (pipeline), 409 (id taken), 422 (params, cron, time zone)
 */
export async function createSchedule(deps: ApiDeps, req: CreateSchedule, createdBy: string): Promise<KilnSchedule> {
  const { name, version, digest } = req.pipeline;
  const pipeline = await deps.registry.resolve(name, {
    ...(version ? { version } : {}),
    ...(digest ? { digest } : {}),
  });
  checkRunParams(deps, pipeline.spec, req.params);
  checkMinimumInterval(deps, req);
  const { pipeline: _ref, ...rest } = req;
  try {
    await createKilnSchedule(deps.client, deps.taskQueue, {
      ...rest,
      spec: pipeline.spec,
      pipeline: { name, digest: pipeline.digest, ...(pipeline.version ? { version: pipeline.version } : {}) },
      createdBy,
    });
  } catch (error) {
    // The SDK parses cron expressions itself and throws a TypeError for a bad one.
    if (error instanceof TypeError)
      throw invalidRequest(`invalid schedule spec: ${error.message}`, [{ path: 'cron', message: error.message }]);
    throw rejectedArgument(error) ?? error;
  }
  return refuseIfNeverFires(deps, req);
}

/** An `interval.every` under `limits.minScheduleIntervalSeconds` is a 422 naming both. */
function checkMinimumInterval(deps: ApiDeps, req: CreateSchedule): void {
  const every = req.interval ? durationSeconds(req.interval.every) : undefined;
  const min = deps.limits.minScheduleIntervalSeconds;
  if (every !== undefined && every < min) {
    const message = `must be at least ${min}s (the minimum schedule interval, setting KILN_API_SCHEDULE_MIN_INTERVAL_SECONDS)`;
    throw invalidRequest(`invalid body: interval.every: ${message}`, [{ in: 'body', path: 'interval.every', message }]);
  }
}

/**
 * The schedule as created, or, when Temporal finds no time it will ever fire
 * (a cron like `0 0 31 2 *`, an `endAt` before the first match), a 422 naming
 * the field, and the schedule deleted again: a schedule that never runs is a mistake.
 */
async function refuseIfNeverFires(deps: ApiDeps, req: CreateSchedule): Promise<KilnSchedule> {
  let schedule = await getSchedule(deps, req.id);
  // A new schedule's times are computed by its workflow; give it a moment before concluding.
  for (let attempt = 0; attempt < 3 && schedule.nextRunTimes.length === 0; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    schedule = await getSchedule(deps, req.id);
  }
  if (schedule.nextRunTimes.length > 0) return schedule;
  await deps.client.schedule
    .getHandle(req.id)
    .delete()
    .catch(() => undefined);
  const field = req.endAt ? 'endAt' : req.cron ? 'cron' : 'interval';
  const message = `the schedule would never fire (no matching time${req.endAt ? ` before endAt ${req.endAt}` : ''})`;
  throw invalidRequest(`invalid body: ${field}: ${message}`, [{ in: 'body', path: field, message }]);
}

/** @throws ScheduleNotFoundError (404) */
export function getSchedule(deps: ApiDeps, id: string): Promise<KilnSchedule> {
  return describeKilnSchedule(deps.client, id);
}

/** One page of schedules (Temporal visibility; new schedules appear after a moment). */
export async function listSchedules(
  deps: ApiDeps,
  pageSize: number,
  pageToken?: string,
): Promise<{ schedules: KilnScheduleSummary[]; nextPageToken?: string }> {
  const page = await listKilnSchedules(deps.client, pageSize, pageToken);
  return { schedules: page.items, ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}) };
}

/** A gRPC INVALID_ARGUMENT from Temporal (bad cron, bad time zone) as a 422. */
export function rejectedArgument(error: unknown) {
  const e = error as { code?: number; details?: string; message?: string; cause?: { code?: number; details?: string } };
  const code = e.code ?? e.cause?.code;
  if (code !== 3) return undefined;
  return invalidRequest(`Temporal refused the schedule: ${e.details ?? e.cause?.details ?? e.message}`);
}

/** Pauses or resumes a schedule with a note (shown in Temporal), and answers it as it is now. */
export async function pauseSchedule(deps: ApiDeps, id: string, paused: boolean, note: string): Promise<KilnSchedule> {
  const handle = deps.client.schedule.getHandle(id);
  await (paused ? handle.pause(note) : handle.unpause(note));
  return getSchedule(deps, id);
}

/** Starts a run of the schedule now. @throws ScheduleNotFoundError (404) before anything else */
export async function triggerSchedule(
  deps: ApiDeps,
  id: string,
  overlap: ScheduleOverlap,
): Promise<{ id: string; triggered: true }> {
  await getSchedule(deps, id);
  await deps.client.schedule.getHandle(id).trigger(overlap);
  return { id, triggered: true };
}

/** Runs every action the schedule would have taken in [start, end). @throws ScheduleNotFoundError (404) */
export async function backfillSchedule(
  deps: ApiDeps,
  id: string,
  backfill: Backfill,
): Promise<{ id: string; backfill: { start: string; end: string; overlap: ScheduleOverlap } }> {
  const start = new Date(backfill.start);
  const end = new Date(backfill.end);
  await getSchedule(deps, id);
  const max = deps.limits.maxBackfillActions;
  const runs = await countScheduleActions(deps.client, id, start, end, max);
  if (runs > max) {
    const message = `[start, end) holds more than ${max} scheduled times (the most one backfill may start, setting KILN_API_MAX_BACKFILL_ACTIONS): backfill a shorter window`;
    throw invalidRequest(`invalid body: end: ${message}`, [{ in: 'body', path: 'end', message }]);
  }
  try {
    await deps.client.schedule.getHandle(id).backfill({ start, end, overlap: backfill.overlap });
  } catch (error) {
    throw rejectedArgument(error) ?? error;
  }
  return { id, backfill: { start: start.toISOString(), end: end.toISOString(), overlap: backfill.overlap } };
}
