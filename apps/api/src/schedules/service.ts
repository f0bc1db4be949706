/**
 * Schedules: the request checked and the pipeline resolved here, the Temporal
 * Schedule made and read by `@kiln/engine/client` (shared with the client's
 * Temporal transport, so a schedule made either way reads the same).
 */
import type { backfillBodySchema, createScheduleBodySchema } from '@kiln/api-contract';
import {
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
  return getSchedule(deps, req.id);
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
  try {
    await deps.client.schedule.getHandle(id).backfill({ start, end, overlap: backfill.overlap });
  } catch (error) {
    throw rejectedArgument(error) ?? error;
  }
  return { id, backfill: { start: start.toISOString(), end: end.toISOString(), overlap: backfill.overlap } };
}
