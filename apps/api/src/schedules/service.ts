/**
 * Schedules: the request checked and the pipeline resolved here, the Temporal
 * Schedule made and read by `@kiln/engine/client` (shared with the client's
 * Temporal transport, so a schedule made either way reads the same).
 */
import {
  createKilnSchedule,
  describeKilnSchedule,
  listKilnSchedules,
  type KilnSchedule,
  type KilnScheduleSummary,
  type ScheduleOverlap,
} from '@kiln/engine-client';
import type { JsonValue } from '@kiln/ir';
import type { ApiDeps } from '../deps';
import { invalidRequest } from '../errors';
import { checkRunParams } from '../runs/start';

export type OverlapPolicy = ScheduleOverlap;
export type ScheduleResource = KilnSchedule;

export interface CreateSchedule {
  id: string;
  pipeline: { name: string; version?: string; digest?: string };
  params: Record<string, JsonValue>;
  experiment?: string;
  executor?: 'local' | 'kubernetes';
  cache?: boolean;
  cron?: string[];
  /** `every` and `offset` as durations ("2s", "15m", "1d") or seconds. */
  interval?: { every: string; offset?: string };
  timezone: string;
  overlap: OverlapPolicy;
  catchupWindow: string;
  pauseOnFailure: boolean;
  paused: boolean;
  note?: string;
  startAt?: string;
  endAt?: string;
}

/**
 * @throws ApiError 404 (pipeline), 409 (id taken), 422 (params, cron, time zone)
 */
export async function createSchedule(deps: ApiDeps, req: CreateSchedule, createdBy: string): Promise<ScheduleResource> {
  if (!req.cron?.length && !req.interval)
    throw invalidRequest('give "cron" (one or more cron expressions) or "interval" ({ every })');
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
export function getSchedule(deps: ApiDeps, id: string): Promise<ScheduleResource> {
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
