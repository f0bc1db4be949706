/**
 * Every call the UI makes to the Kiln API, in one module. The pages reach the
 * API only through these functions (via the hooks in `./queries`), so moving
 * onto `@kiln/api-contract` rewires this file and `./wire`, nothing else.
 *
 * The run page follows a run through its event stream (`./run-events`) and falls
 * back to {@link runRefreshInterval} polling only when the stream fails.
 */
import { loopIterationPageSchema, runsMetricsSchema } from '@kiln/api-contract';
import type { TaskState } from '@kiln/engine-contract';
import type { JsonValue } from '@kiln/ir';
import { ApiError } from './errors';
import { requestJson, send } from './http';
import {
  pipelineByDigestSchema,
  pipelineListSchema,
  pipelineSchema,
  pipelineVersionWithSpecSchema,
  runArtifactsSchema,
  runPageSchema,
  runResourceSchema,
  schedulePageSchema,
  scheduleSchema,
  triggeredSchema,
  type RunResource,
  type RunState,
} from './wire';

const segment = encodeURIComponent;

// ---------------------------------------------------------------------------------------------
// Pipelines

/** `GET /pipelines`: every pipeline with its latest version. */
export const listPipelines = () => requestJson('/pipelines', pipelineListSchema);

/** `GET /pipelines/:name`: a pipeline's versions, oldest first. */
export const getPipeline = (name: string) => requestJson(`/pipelines/${segment(name)}`, pipelineSchema);

/** `GET /pipelines/:name/versions/:version`: one version with its IR. */
export const getPipelineVersion = (name: string, version: string) =>
  requestJson(`/pipelines/${segment(name)}/versions/${segment(version)}`, pipelineVersionWithSpecSchema);

/** `GET /pipelines/:name/digests/:digest`: the IR a run ran. */
export const getPipelineSpec = (name: string, digest: string) =>
  requestJson(`/pipelines/${segment(name)}/digests/${segment(digest)}`, pipelineByDigestSchema);

// ---------------------------------------------------------------------------------------------
// Runs

export interface RunFilter {
  readonly pipeline?: string;
  readonly experiment?: string;
  readonly status?: RunState;
  /** Runs started at or after this ISO instant (the runs list's time window). */
  readonly startedAfter?: string;
}

/**
 * `GET /runs`: one page (running runs first, then by end time, newest first); pass the answer's `nextPageToken` back as `pageToken`.
 * The API filters by pipeline, experiment, state and start time.
 */
export const listRuns = (filter: RunFilter, page: { pageSize: number; pageToken?: string }) =>
  requestJson('/runs', runPageSchema, { query: { ...filter, ...page } });

/** `GET /runs/:runId`: the run status document with Temporal's view and the run's origin. */
export const getRun = (runId: string) => requestJson(`/runs/${segment(runId)}`, runResourceSchema);

/** `GET /runs/:runId/artifacts`: every artifact the run's tasks recorded so far. */
export const listRunArtifacts = (runId: string) => requestJson(`/runs/${segment(runId)}/artifacts`, runArtifactsSchema);

/** `GET /runs/:runId/tasks/:taskId/artifacts/:output` path, as `listRunArtifacts` gives it. */
function checkedDownloadPath(download: string): string {
  // The API hands out its own relative paths; anything else is not fetched with the token.
  if (!/^\/runs\/[^/]/.test(download)) throw new ApiError(0, 'bad-response', `not an artifact path: ${download}`);
  return download;
}

/** An artifact's bytes (with the bearer token, so no link can carry it). */
export async function fetchArtifact(download: string): Promise<{ blob: Blob; contentType: string; digest?: string }> {
  const response = await send(checkedDownloadPath(download));
  const digest = response.headers.get('x-kiln-digest');
  return {
    blob: await response.blob(),
    contentType: response.headers.get('content-type') ?? 'application/octet-stream',
    ...(digest ? { digest } : {}),
  };
}

/** `GET /runs/:runId/tasks/:taskId/logs`: the saved log of one attempt (default: the latest). */
export async function fetchTaskLog(
  runId: string,
  taskId: string,
  options: { attempt?: number; iteration?: readonly number[] } = {},
): Promise<{ text: string; attempt: number; source: string }> {
  const response = await send(`/runs/${segment(runId)}/tasks/${segment(taskId)}/logs`, {
    query: { attempt: options.attempt, iteration: options.iteration?.join(',') },
  });
  return {
    text: await response.text(),
    attempt: Number(response.headers.get('x-kiln-attempt') ?? options.attempt ?? 1),
    source: response.headers.get('x-kiln-log-source') ?? 'saved',
  };
}

/**
 * `GET /runs/:runId/tasks/:taskId/logs?follow=true`: the latest (or given) attempt's log as it
 * grows, handed to `onText` chunk by chunk until the attempt ends (the API closes the stream) or
 * `signal` aborts. Read with `fetch`, so the bearer token stays in a header.
 */
export async function followTaskLog(
  runId: string,
  taskId: string,
  options: { attempt?: number; iteration?: readonly number[] },
  onText: (text: string, source: string) => void,
  signal: AbortSignal,
): Promise<void> {
  const response = await send(`/runs/${segment(runId)}/tasks/${segment(taskId)}/logs`, {
    query: { attempt: options.attempt, iteration: options.iteration?.join(','), follow: true },
    signal,
  });
  const source = response.headers.get('x-kiln-log-source') ?? 'live';
  if (!response.body) return onText(await response.text(), source);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      onText(decoder.decode(value, { stream: true }), source);
    }
  } finally {
    reader.releaseLock();
  }
}

/**
 * How often the run page reads a run when its event stream has failed: every 2 s while it is
 * pending or running, never after.
 */
export function runRefreshInterval(run: Pick<RunResource, 'state'> | undefined): number | false {
  return run === undefined || run.state === 'PENDING' || run.state === 'RUNNING' ? 2000 : false;
}

// ---------------------------------------------------------------------------------------------
// Loop iterations and metrics of many runs

/** Which page of a loop task's iterations to read. */
export interface LoopIterationQuery {
  /** Only iterations in this state (`failed`: what went wrong). */
  readonly state?: TaskState;
  readonly pageSize: number;
  /** The previous page's `nextPageToken`. */
  readonly pageToken?: string;
}

/**
 * `GET /runs/:runId/tasks/:taskId/iterations`: one page of a loop task's entries by loop index,
 * with outputs and attempts, and the task's per-state counts over all its iterations (batched
 * loops included: the API reads the batches' own records, not the whole status document).
 */
export const listLoopIterations = (runId: string, taskId: string, query: LoopIterationQuery) =>
  requestJson(`/runs/${segment(runId)}/tasks/${segment(taskId)}/iterations`, loopIterationPageSchema, {
    query: { ...query },
  });

/** One run's scalar metrics, keyed `task › metric`, and its parameters. */
export interface RunMetrics {
  readonly runId: string;
  readonly params: Readonly<Record<string, JsonValue>>;
  readonly metrics: Readonly<Record<string, number>>;
}

/**
 * `GET /runs/metrics`: the runs' parameters and scalar metrics in one call, keyed
 * `task › metric` for the comparison table (run ids that name no run are left out).
 */
export async function getRunsMetrics(runIds: readonly string[]): Promise<RunMetrics[]> {
  const { runs } = await requestJson('/runs/metrics', runsMetricsSchema, { query: { runIds: runIds.join(',') } });
  return runs.map((run) => ({
    runId: run.runId,
    params: run.params,
    metrics: Object.fromEntries(run.metrics.map((m) => [`${m.taskId} › ${m.name}`, m.value])),
  }));
}

// ---------------------------------------------------------------------------------------------
// Schedules

/** `GET /schedules`: one page of schedules. */
export const listSchedules = (page: { pageSize: number; pageToken?: string }) =>
  requestJson('/schedules', schedulePageSchema, { query: page });

/** `GET /schedules/:id`: a schedule with its recent and next runs. */
export const getSchedule = (id: string) => requestJson(`/schedules/${segment(id)}`, scheduleSchema);

/** `POST /schedules/:id/pause` (operator) */
export const pauseSchedule = (id: string) =>
  requestJson(`/schedules/${segment(id)}/pause`, scheduleSchema, { method: 'POST', body: {} });

/** `POST /schedules/:id/resume` (operator) */
export const resumeSchedule = (id: string) =>
  requestJson(`/schedules/${segment(id)}/resume`, scheduleSchema, { method: 'POST', body: {} });

/** `POST /schedules/:id/trigger` (operator): start a run now. */
export const triggerSchedule = (id: string) =>
  requestJson(`/schedules/${segment(id)}/trigger`, triggeredSchema, { method: 'POST', body: {} });
