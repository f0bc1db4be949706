/**
 * Schedules are Temporal Schedules whose action starts `kilnPipelineRun` with
 * the IR, parameters and options resolved at creation (so a schedule keeps
 * running the version it was created with, even if newer ones are uploaded).
 * What the user asked for (pipeline reference, cron/interval as written) rides
 * along in the schedule's memo for display.
 */
import { KilnExperiment, KilnPipelineName, KilnRunStatus, type PipelineRunInput } from '@kiln/engine';
import type { JsonValue } from '@kiln/ir';
import type { ScheduleDescription, ScheduleOverlapPolicy } from '@temporalio/client';
import { decodeMapFromPayloads } from '@temporalio/common/lib/internal-non-workflow';
import type { ApiDeps } from '../deps';
import { invalidRequest } from '../errors';
import { checkRunParams } from '../runs/start';

export type OverlapPolicy = Exclude<ScheduleOverlapPolicy, undefined>;

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

/** What the memo records. */
interface ScheduleMemo {
  pipeline: { name: string; version?: string; digest: string };
  params: Record<string, JsonValue>;
  experiment?: string;
  cron?: string[];
  interval?: { every: string; offset?: string };
  timezone: string;
  createdBy: string;
}

/**
 * @throws ApiError 404 (pipeline), 409 (id taken), 422 (params, cron, time zone)
 */
export async function createSchedule(deps: ApiDeps, req: CreateSchedule, createdBy: string): Promise<ScheduleResource> {
  if (!req.cron?.length && !req.interval) throw invalidRequest('give "cron" (one or more cron expressions) or "interval" ({ every })');
  const { name, version, digest } = req.pipeline;
  const pipeline = await deps.registry.resolve(name, { ...(version ? { version } : {}), ...(digest ? { digest } : {}) });
  checkRunParams(deps, pipeline.spec, req.params);
  const input: PipelineRunInput = {
    spec: pipeline.spec,
    params: req.params,
    options: {
      ...(req.experiment ? { experiment: req.experiment } : {}),
      ...(req.executor ? { executor: req.executor } : {}),
      ...(req.cache !== undefined ? { cache: req.cache } : {}),
    },
  };
  const memo: ScheduleMemo = {
    pipeline: { name, digest: pipeline.digest, ...(pipeline.version ? { version: pipeline.version } : {}) },
    params: req.params,
    ...(req.experiment ? { experiment: req.experiment } : {}),
    ...(req.cron ? { cron: req.cron } : {}),
    ...(req.interval ? { interval: req.interval } : {}),
    timezone: req.timezone,
    createdBy,
  };
  try {
    await deps.client.schedule.create({
      scheduleId: req.id,
      spec: {
        ...(req.cron?.length ? { cronExpressions: req.cron } : {}),
        ...(req.interval ? { intervals: [{ every: req.interval.every, ...(req.interval.offset ? { offset: req.interval.offset } : {}) }] } : {}),
        timezone: req.timezone,
        ...(req.startAt ? { startAt: new Date(req.startAt) } : {}),
        ...(req.endAt ? { endAt: new Date(req.endAt) } : {}),
      },
      action: {
        type: 'startWorkflow',
        workflowType: 'kilnPipelineRun',
        taskQueue: deps.taskQueue,
        // Temporal appends the scheduled time to this id for each run.
        workflowId: `kiln-${name}-sched-${req.id}`.toLowerCase(),
        args: [input],
        typedSearchAttributes: [
          { key: KilnPipelineName, value: name },
          { key: KilnRunStatus, value: 'PENDING' },
          ...(req.experiment ? [{ key: KilnExperiment, value: req.experiment }] : []),
        ],
        staticSummary: `Kiln pipeline ${name} (schedule ${req.id})`,
      },
      policies: { overlap: req.overlap, catchupWindow: req.catchupWindow, pauseOnFailure: req.pauseOnFailure },
      state: { paused: req.paused, ...(req.note ? { note: req.note } : {}) },
      memo: { kiln: memo },
    });
  } catch (error) {
    // The SDK parses cron expressions itself and throws a TypeError for a bad one.
    if (error instanceof TypeError) throw invalidRequest(`invalid schedule spec: ${error.message}`, [{ path: 'cron', message: error.message }]);
    throw rejectedArgument(error) ?? error;
  }
  return getSchedule(deps, req.id);
}

export interface ScheduleResource {
  id: string;
  pipeline?: ScheduleMemo['pipeline'];
  params?: Record<string, JsonValue>;
  experiment?: string;
  cron?: string[];
  interval?: { every: string; offset?: string };
  timezone: string;
  overlap: string;
  catchupWindowSeconds: number;
  pauseOnFailure: boolean;
  paused: boolean;
  note?: string;
  createdBy?: string;
  recentRuns: { runId: string; scheduledAt: string; takenAt: string }[];
  runningRuns: string[];
  nextRunTimes: string[];
  actionsTaken: number;
  actionsMissedCatchupWindow: number;
  actionsSkippedOverlap: number;
  createdAt: string;
}

/** @throws ScheduleNotFoundError (404) */
export async function getSchedule(deps: ApiDeps, id: string): Promise<ScheduleResource> {
  const d: ScheduleDescription = await deps.client.schedule.getHandle(id).describe();
  const memo = d.memo?.['kiln'] as ScheduleMemo | undefined;
  return {
    id: d.scheduleId,
    ...(memo ? { pipeline: memo.pipeline, params: memo.params, createdBy: memo.createdBy } : {}),
    ...(memo?.experiment ? { experiment: memo.experiment } : {}),
    ...(memo?.cron ? { cron: memo.cron } : {}),
    ...(memo?.interval ? { interval: memo.interval } : {}),
    timezone: d.spec.timezone ?? memo?.timezone ?? 'UTC',
    overlap: d.policies.overlap ?? 'SKIP',
    catchupWindowSeconds: Math.round(d.policies.catchupWindow / 1000),
    pauseOnFailure: d.policies.pauseOnFailure,
    paused: d.state.paused,
    ...(d.state.note ? { note: d.state.note } : {}),
    recentRuns: d.info.recentActions.map((a) => ({
      runId: a.action.workflow.workflowId,
      scheduledAt: a.scheduledAt.toISOString(),
      takenAt: a.takenAt.toISOString(),
    })),
    runningRuns: d.info.runningActions.map((a) => a.workflow.workflowId),
    nextRunTimes: d.info.nextActionTimes.map((t) => t.toISOString()),
    actionsTaken: d.info.numActionsTaken,
    actionsMissedCatchupWindow: d.info.numActionsMissedCatchupWindow,
    actionsSkippedOverlap: d.info.numActionsSkippedOverlap,
    createdAt: d.info.createdAt.toISOString(),
  };
}

/** One page of schedules (Temporal visibility; new schedules appear after a moment). */
export async function listSchedules(deps: ApiDeps, pageSize: number, pageToken?: string) {
  const { client } = deps;
  const response = await client.workflowService.listSchedules({
    namespace: client.options.namespace,
    maximumPageSize: pageSize,
    ...(pageToken ? { nextPageToken: Buffer.from(pageToken, 'base64url') } : {}),
  }).catch((error: Error & { code?: number }) => {
    if (error.code === 3 && pageToken) throw invalidRequest(`pageToken was refused by Temporal: ${error.message}`);
    throw error;
  });
  const schedules = [];
  for (const entry of response.schedules ?? []) {
    if (entry.info?.workflowType?.name !== 'kilnPipelineRun') continue;
    const memo = (await decodeMapFromPayloads(client.options.loadedDataConverter, entry.memo?.fields))?.['kiln'] as ScheduleMemo | undefined;
    schedules.push({
      id: entry.scheduleId ?? '',
      ...(memo ? { pipeline: memo.pipeline } : {}),
      paused: entry.info.paused ?? false,
      ...(entry.info.notes ? { note: entry.info.notes } : {}),
      nextRunTimes: (entry.info.futureActionTimes ?? []).map((t) => new Date(Number(t.seconds ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1e6)).toISOString()),
    });
  }
  const token = response.nextPageToken?.length ? Buffer.from(response.nextPageToken).toString('base64url') : undefined;
  return { schedules, ...(token ? { nextPageToken: token } : {}) };
}

/** A gRPC INVALID_ARGUMENT from Temporal (bad cron, bad time zone) as a 422. */
export function rejectedArgument(error: unknown) {
  const e = error as { code?: number; details?: string; message?: string; cause?: { code?: number; details?: string } };
  const code = e.code ?? e.cause?.code;
  if (code !== 3) return undefined;
  return invalidRequest(`Temporal refused the schedule: ${e.details ?? e.cause?.details ?? e.message}`);
}
