/**
 * Schedules straight on Temporal, in the same shape the API creates them (the
 * IR and parameters in the action, what the user asked for in the `kiln`
 * memo), so a schedule made one way is listed and described the same way by
 * the other. Keep in step with apps/api/src/schedules/service.ts.
 */
import { KilnExperiment, KilnPipelineName, KilnRunStatus, type PipelineRunInput } from '@kiln/engine';
import type { JsonValue } from '@kiln/ir';
import { specDigest } from '@kiln/ir/node';
import type { Client, ScheduleDescription } from '@temporalio/client';
import { decodeMapFromPayloads } from '@temporalio/common/lib/internal-non-workflow';
import { checkRunParams } from '../check-params';
import { KilnApiError, unsupported } from '../errors';
import type { DurationInput, Page, Schedule, ScheduleSummary } from '../resources';
import type { ScheduleRequest } from '../transport';

interface ScheduleMemo {
  pipeline: { name: string; version?: string; digest: string };
  params: Record<string, JsonValue>;
  experiment?: string;
  cron?: string[];
  interval?: { every: string; offset?: string };
  timezone: string;
  createdBy: string;
}

const duration = (d: DurationInput) => (typeof d === 'number' ? `${d}s` : d);

export async function createSchedule(client: Client, taskQueue: string, req: ScheduleRequest, createdBy: string): Promise<Schedule> {
  if (!('spec' in req.source)) throw unsupported('a schedule of a stored pipeline', 'straight on Temporal (pipelines are stored by the API); pass the pipeline or its IR');
  if (!req.cron?.length && !req.interval) throw new KilnApiError(422, 'invalid-request', 'give "cron" (one or more cron expressions) or "interval" ({ every })');
  const { spec } = req.source;
  const name = spec.pipeline.name;
  checkRunParams(name, spec.params, req.params);
  const timezone = req.timezone ?? 'UTC';
  const interval = req.interval ? { every: duration(req.interval.every), ...(req.interval.offset !== undefined ? { offset: duration(req.interval.offset) } : {}) } : undefined;
  const input: PipelineRunInput = {
    spec,
    params: req.params,
    options: {
      ...(req.experiment ? { experiment: req.experiment } : {}),
      ...(req.executor ? { executor: req.executor } : {}),
      ...(req.cache !== undefined ? { cache: req.cache } : {}),
    },
  };
  const memo: ScheduleMemo = {
    pipeline: { name, digest: specDigest(spec) },
    params: req.params,
    ...(req.experiment ? { experiment: req.experiment } : {}),
    ...(req.cron ? { cron: req.cron } : {}),
    ...(interval ? { interval } : {}),
    timezone,
    createdBy,
  };
  await client.schedule.create({
    scheduleId: req.id,
    spec: {
      ...(req.cron?.length ? { cronExpressions: req.cron } : {}),
      ...(interval ? { intervals: [interval] } : {}),
      timezone,
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
    policies: { overlap: req.overlap ?? 'SKIP', catchupWindow: duration(req.catchupWindow), pauseOnFailure: req.pauseOnFailure ?? false },
    state: { paused: req.paused ?? false, ...(req.note ? { note: req.note } : {}) },
    memo: { kiln: memo },
  });
  return getSchedule(client, req.id);
}

export async function getSchedule(client: Client, id: string): Promise<Schedule> {
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

export async function listSchedules(client: Client, pageSize: number, pageToken?: string): Promise<Page<ScheduleSummary>> {
  const response = await client.workflowService.listSchedules({
    namespace: client.options.namespace,
    maximumPageSize: pageSize,
    ...(pageToken ? { nextPageToken: Buffer.from(pageToken, 'base64url') } : {}),
  });
  const items: ScheduleSummary[] = [];
  for (const entry of response.schedules ?? []) {
    if (entry.info?.workflowType?.name !== 'kilnPipelineRun') continue;
    const memo = (await decodeMapFromPayloads(client.options.loadedDataConverter, entry.memo?.fields))?.['kiln'] as ScheduleMemo | undefined;
    items.push({
      id: entry.scheduleId ?? '',
      ...(memo ? { pipeline: memo.pipeline } : {}),
      paused: entry.info.paused ?? false,
      ...(entry.info.notes ? { note: entry.info.notes } : {}),
      nextRunTimes: (entry.info.futureActionTimes ?? []).map((t) => new Date(Number(t.seconds ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1e6)).toISOString()),
    });
  }
  const token = response.nextPageToken?.length ? Buffer.from(response.nextPageToken).toString('base64url') : undefined;
  return { items, ...(token ? { nextPageToken: token } : {}) };
}
