/**
 * Kiln schedules are Temporal Schedules whose action starts `kilnPipelineRun`
 * with the IR, parameters and options resolved at creation (so a schedule
 * keeps running the version it was created with, even if newer ones are
 * uploaded). What the user asked for (pipeline reference, cron or interval as
 * written) rides along in the `kiln` memo for display. The HTTP API and the
 * client's Temporal transport both create and read schedules through here, so
 * a schedule made one way is listed and described the same way by the other.
 * Node-only (not workflow code).
 */
import type { JsonValue, PipelineSpec } from '@kiln/ir';
import type { Client, ScheduleDescription } from '@temporalio/client';
import { decodeMapFromPayloads } from '@temporalio/common/lib/internal-non-workflow';
import type { ExecutorKind } from '@kiln/engine-contract';
import {
  noScheduleTimesMessage,
  type scheduleOverlapSchema,
  type scheduleSchema,
  type scheduleSummarySchema,
} from '@kiln/engine-contract/schemas';
import type { z } from 'zod';
import type { PipelineRunInput } from '@kiln/engine-contract';
import { KilnExperiment, KilnPipelineName, KilnRunStatus } from '@kiln/engine-contract';
import { KilnRequestError } from './errors';
import { decodePageToken, encodePageToken } from './page-token';
import { refusedPageToken, type KilnPage } from './runs';

/** What to do when a scheduled run is due while the previous one still runs. */
export type ScheduleOverlap = z.infer<typeof scheduleOverlapSchema>;

/** A schedule to create: the pipeline already resolved to IR, durations as Temporal takes them ("2s", "15m", "1d"). */
export interface KilnScheduleRequest {
  id: string;
  spec: PipelineSpec;
  /** How the pipeline was named, for display: its digest, and the stored version when there is one. */
  pipeline: { name: string; digest: string; version?: string };
  params: Record<string, JsonValue>;
  experiment?: string;
  executor?: ExecutorKind;
  cache?: boolean;
  /** Cron expressions; give these or `interval`. */
  cron?: string[];
  interval?: { every: string; offset?: string };
  /** IANA time zone of the cron expressions. */
  timezone: string;
  overlap: ScheduleOverlap;
  /** How late a missed run may still start. */
  catchupWindow: string;
  pauseOnFailure: boolean;
  paused: boolean;
  note?: string;
  startAt?: Date | string;
  endAt?: Date | string;
  /** Recorded in the memo: the API's token name, or the client's identity. */
  createdBy: string;
}

/** A schedule as Temporal describes it, with what the memo recorded. */
export type KilnSchedule = z.infer<typeof scheduleSchema>;

/** One row of a schedule listing. */
export type KilnScheduleSummary = z.infer<typeof scheduleSummarySchema>;

/** What the `kiln` memo records. */
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
 * Creates the Temporal Schedule. Parameters must have been checked already.
 * @throws KilnRequestError `invalid-request` without cron and interval; Temporal's
 * errors pass through (a TypeError for a cron expression the SDK cannot parse,
 * `ScheduleAlreadyRunning` for a taken id, gRPC INVALID_ARGUMENT for what the server refuses).
 *
 * @example
 * ```ts
 * await createKilnSchedule(client, 'kiln', { id: 'nightly', spec, pipeline: { name: 'training', digest }, params: {},
 *   cron: ['0 3 * * *'], timezone: 'UTC', overlap: 'SKIP', catchupWindow: '1h', pauseOnFailure: false, paused: false, createdBy: 'ci' });
 * ```
 */
export async function createKilnSchedule(client: Client, taskQueue: string, req: KilnScheduleRequest): Promise<void> {
  if (!req.cron?.length && !req.interval) {
    throw new KilnRequestError('invalid-request', noScheduleTimesMessage, [
      { path: 'cron', message: noScheduleTimesMessage },
    ]);
  }
  const name = req.spec.pipeline.name;
  const input: PipelineRunInput = {
    spec: req.spec,
    params: req.params,
    options: {
      ...(req.experiment ? { experiment: req.experiment } : {}),
      ...(req.executor ? { executor: req.executor } : {}),
      ...(req.cache !== undefined ? { cache: req.cache } : {}),
    },
  };
  const memo: ScheduleMemo = {
    pipeline: req.pipeline,
    params: req.params,
    ...(req.experiment ? { experiment: req.experiment } : {}),
    ...(req.cron?.length ? { cron: req.cron } : {}),
    ...(req.interval ? { interval: req.interval } : {}),
    timezone: req.timezone,
    createdBy: req.createdBy,
  };
  await client.schedule.create({
    scheduleId: req.id,
    spec: {
      ...(req.cron?.length ? { cronExpressions: req.cron } : {}),
      ...(req.interval
        ? {
            intervals: [{ every: req.interval.every, ...(req.interval.offset ? { offset: req.interval.offset } : {}) }],
          }
        : {}),
      timezone: req.timezone,
      ...(req.startAt ? { startAt: new Date(req.startAt) } : {}),
      ...(req.endAt ? { endAt: new Date(req.endAt) } : {}),
    },
    action: {
      type: 'startWorkflow',
      workflowType: 'kilnPipelineRun',
      taskQueue,
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
}

/**
 * A schedule with its recent and next runs. @throws ScheduleNotFoundError (Temporal's)
 *
 * @example
 * ```ts
 * const s = await describeKilnSchedule(client, 'nightly');
 * console.log(s.paused, s.nextRunTimes[0]);
 * ```
 */
export async function describeKilnSchedule(client: Client, id: string): Promise<KilnSchedule> {
  const d: ScheduleDescription = await client.schedule.getHandle(id).describe();
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

/**
 * One page of Kiln schedules (Temporal visibility: a new schedule appears after a moment).
 * @throws KilnRequestError `invalid-request` for a page token Temporal refuses.
 */
export async function listKilnSchedules(
  client: Client,
  pageSize: number,
  pageToken?: string,
): Promise<KilnPage<KilnScheduleSummary>> {
  const nextPageToken = decodePageToken(pageToken);
  const response = await client.workflowService
    .listSchedules({
      namespace: client.options.namespace,
      maximumPageSize: pageSize,
      ...(nextPageToken ? { nextPageToken } : {}),
    })
    .catch((error: unknown) => {
      throw refusedPageToken(error, pageToken);
    });
  const items: KilnScheduleSummary[] = [];
  for (const entry of response.schedules ?? []) {
    if (entry.info?.workflowType?.name !== 'kilnPipelineRun') continue;
    const memo = (await decodeMapFromPayloads(client.options.loadedDataConverter, entry.memo?.fields))?.['kiln'] as
      ScheduleMemo | undefined;
    items.push({
      id: entry.scheduleId ?? '',
      ...(memo ? { pipeline: memo.pipeline } : {}),
      paused: entry.info.paused ?? false,
      ...(entry.info.notes ? { note: entry.info.notes } : {}),
      nextRunTimes: (entry.info.futureActionTimes ?? []).map((t) =>
        new Date(Number(t.seconds ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1e6)).toISOString(),
      ),
    });
  }
  const token = encodePageToken(response.nextPageToken);
  return { items, ...(token ? { nextPageToken: token } : {}) };
}
