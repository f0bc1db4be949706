/**
 * Kiln runs read and steered through a Temporal client: the helpers the HTTP
 * API and `@kiln/client`'s Temporal transport share, so both describe, list,
 * cancel and retry a run the same way. Node-only (not workflow code).
 */
import {
  ApplicationFailure,
  WorkflowFailedError,
  type Client,
  type WorkflowExecutionDescription,
  type WorkflowHandle,
} from '@temporalio/client';
import { executionInfoFromRaw } from '@temporalio/client/lib/helpers';
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow';
import type { PipelineRunInput } from '@kiln/engine-contract';
import { statusQuery } from '@kiln/engine-contract';
import { INVALID_PARAMS, RUN_FAILED } from '@kiln/engine-contract';
import { KilnExperiment, KilnPipelineDigest, KilnPipelineName, KilnRunStatus } from '@kiln/engine-contract';
import type { RunStatusDocument } from '@kiln/engine-contract';
import type { runSummarySchema, runViewSchema } from '@kiln/engine-contract/schemas';
import type { z } from 'zod';
import { KilnRequestError } from './errors';
import { decodePageToken, encodePageToken } from './page-token';
import { runsQuery, runStateOf, temporalUiLink, type RunListFilter } from './run-state';

/** The run status document with Temporal's view of the run (`temporal`: execution status, run id, history length, Web UI link). */
export type KilnRunView = z.infer<typeof runViewSchema>;

/** One row of a run listing. */
export type KilnRunSummary = z.infer<typeof runSummarySchema>;

/** One page of a listing; `nextPageToken` (base64url, opaque) is absent on the last page. */
export interface KilnPage<T> {
  items: T[];
  nextPageToken?: string;
}

/** How long a status query may take before the answer comes from what else there is. */
const queryDeadlineMs = 5000;

/**
 * Describes a run. @throws KilnRequestError `not-found` if the workflow is not
 * a Kiln run (Temporal's `WorkflowNotFoundError` passes through for no workflow at all).
 */
export async function describeKilnRun(
  client: Client,
  runId: string,
): Promise<{ handle: WorkflowHandle; description: WorkflowExecutionDescription; pipeline: string }> {
  const handle = client.workflow.getHandle(runId);
  const description = await handle.describe();
  if (description.type !== 'kilnPipelineRun')
    throw new KilnRequestError(
      'not-found',
      `run ${runId} not found (workflow ${runId} is a ${description.type}, not a Kiln run)`,
    );
  return { handle, description, pipeline: description.typedSearchAttributes.get(KilnPipelineName) ?? '' };
}

/** The live run status document from the `status` query, or undefined if no worker answers within 5 s. */
export async function queryRunStatus(client: Client, handle: WorkflowHandle): Promise<RunStatusDocument | undefined> {
  try {
    return await client.withDeadline(Date.now() + queryDeadlineMs, () => handle.query(statusQuery));
  } catch {
    return undefined;
  }
}

/** A closed run's outcome: its final document (the result, or the one its failure carries), or why it failed without one. */
async function closedOutcome(handle: WorkflowHandle): Promise<{ doc?: RunStatusDocument; error?: string }> {
  try {
    return { doc: (await handle.result()) as RunStatusDocument };
  } catch (error) {
    const cause = error instanceof WorkflowFailedError ? error.cause : undefined;
    if (cause instanceof ApplicationFailure && cause.type === RUN_FAILED && cause.details?.[0])
      return { doc: cause.details[0] as RunStatusDocument };
    if (cause instanceof ApplicationFailure && cause.type === INVALID_PARAMS) return { error: cause.message };
    const message = cause?.message ?? (error instanceof Error ? error.message : undefined);
    return message ? { error: message } : {};
  }
}

export interface GetKilnRunOptions {
  /** Temporal Web UI base URL, for `temporal.ui`. */
  uiUrl?: string;
  /**
   * A closed run's saved document (the API reads the run record from its
   * store); when it answers nothing, the workflow's result is read instead.
   */
  savedDocument?: (pipeline: string, runId: string) => Promise<RunStatusDocument | undefined>;
}

/**
 * The run status document: the saved or final one once the run closed (no
 * worker needed), the `status` query while it runs (or when a closed run's
 * outcome carries none: cancelled, terminated), and a minimal one from
 * Temporal's description when nothing answers (no worker polling, or a run
 * that failed before its first step, then with the reason as `error`).
 *
 * @example
 * ```ts
 * const run = await getKilnRun(client, 'kiln-training-01jd...', { uiUrl: 'http://localhost:8233' });
 * console.log(run.state, run.tasks.length, run.temporal.ui);
 * ```
 */
export async function getKilnRun(client: Client, runId: string, options: GetKilnRunOptions = {}): Promise<KilnRunView> {
  const { handle, description, pipeline } = await describeKilnRun(client, runId);
  const status = description.status.name;
  const closed = status !== 'RUNNING';
  let doc: RunStatusDocument | undefined;
  let error: string | undefined;
  if (closed) {
    doc = await options.savedDocument?.(pipeline, runId);
    if (!doc) ({ doc, error } = await closedOutcome(handle));
  }
  // A cancelled or terminated run's outcome carries no document; a worker still answers the query for it.
  doc ??= await queryRunStatus(client, handle);
  const attrs = description.typedSearchAttributes;
  const experiment = attrs.get(KilnExperiment);
  const base: RunStatusDocument = doc ?? {
    runId,
    workflowId: runId,
    pipeline: { name: pipeline, digest: attrs.get(KilnPipelineDigest) ?? '' },
    params: {},
    state: runStateOf(status, attrs.get(KilnRunStatus)),
    startedAt: description.startTime.toISOString(),
    ...(experiment ? { experiment } : {}),
    ...(error ? { error } : {}),
    tasks: [],
  };
  const ui = temporalUiLink(options.uiUrl, client.options.namespace, runId);
  return {
    ...base,
    // A terminated or timed-out run never recorded its final state: Temporal's status wins.
    state: closed ? runStateOf(status, base.state) : base.state,
    ...(closed && !base.finishedAt && description.closeTime ? { finishedAt: description.closeTime.toISOString() } : {}),
    temporal: { status, runId: description.runId, historyLength: description.historyLength, ...(ui ? { ui } : {}) },
  };
}

/** A gRPC INVALID_ARGUMENT for a page token (from another query, or corrupted) as a KilnRequestError. */
export function refusedPageToken(error: unknown, pageToken: string | undefined): unknown {
  const code = (error as { code?: number }).code;
  if (code === 3 && pageToken)
    return new KilnRequestError(
      'invalid-request',
      `pageToken was refused by Temporal: ${(error as Error).message}`,
      undefined,
      { cause: error },
    );
  return error;
}

/**
 * One page of Kiln runs through Temporal visibility, newest first.
 *
 * @example
 * ```ts
 * const page = await listKilnRuns(client, { pipeline: 'training', status: 'FAILED', pageSize: 20 });
 * const next = page.nextPageToken && (await listKilnRuns(client, { pipeline: 'training', status: 'FAILED', pageSize: 20, pageToken: page.nextPageToken }));
 * ```
 */
export async function listKilnRuns(
  client: Client,
  filter: RunListFilter & { pageSize: number; pageToken?: string },
  uiUrl?: string,
): Promise<KilnPage<KilnRunSummary>> {
  const nextPageToken = decodePageToken(filter.pageToken);
  const response = await client.workflowService
    .listWorkflowExecutions({
      namespace: client.options.namespace,
      pageSize: filter.pageSize,
      query: runsQuery(filter),
      ...(nextPageToken ? { nextPageToken } : {}),
    })
    .catch((error: unknown) => {
      throw refusedPageToken(error, filter.pageToken);
    });
  const items: KilnRunSummary[] = [];
  for (const raw of response.executions ?? []) {
    const info = await executionInfoFromRaw(raw, client.options.loadedDataConverter, raw, client.options.namespace);
    const attrs = info.typedSearchAttributes;
    const digest = attrs.get(KilnPipelineDigest);
    const experiment = attrs.get(KilnExperiment);
    const ui = temporalUiLink(uiUrl, client.options.namespace, info.workflowId);
    items.push({
      runId: info.workflowId,
      pipeline: { name: attrs.get(KilnPipelineName) ?? '', ...(digest ? { digest } : {}) },
      ...(experiment ? { experiment } : {}),
      state: runStateOf(info.status.name, attrs.get(KilnRunStatus)),
      temporalStatus: info.status.name,
      startedAt: info.startTime.toISOString(),
      ...(info.closeTime ? { finishedAt: info.closeTime.toISOString() } : {}),
      ...(ui ? { ui } : {}),
    });
  }
  const token = encodePageToken(response.nextPageToken);
  return { items, ...(token ? { nextPageToken: token } : {}) };
}

/** The workflow's input (spec, params, options), read from the first history event. */
export async function readRunInput(client: Client, runId: string): Promise<PipelineRunInput> {
  const response = await client.workflowService.getWorkflowExecutionHistory({
    namespace: client.options.namespace,
    execution: { workflowId: runId },
    maximumPageSize: 1,
  });
  const payloads = response.history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads;
  if (!payloads?.length) throw new KilnRequestError('not-found', `run ${runId} has no recorded input`);
  return decodeFromPayloadsAtIndex<PipelineRunInput>(client.options.loadedDataConverter, 0, payloads);
}

/**
 * Requests cancellation: running steps are cancelled (pods deleted with a
 * grace period, local processes stopped), exit handlers run, the run ends CANCELLED.
 * @throws KilnRequestError `conflict` if the run already ended.
 */
export async function cancelKilnRun(client: Client, runId: string): Promise<void> {
  const { handle, description } = await describeKilnRun(client, runId);
  if (description.status.name !== 'RUNNING')
    throw new KilnRequestError(
      'conflict',
      `run ${runId} already ended (${description.status.name}); nothing to cancel`,
    );
  await handle.cancel();
}

/**
 * What a retry of a failed or cancelled run starts: the same IR and
 * parameters, the original's options without its run id (the retry gets its
 * own) and with the step cache on, so succeeded steps are reused.
 * @throws KilnRequestError `conflict` while the run runs or if it succeeded.
 *
 * @example
 * ```ts
 * const { input } = await retryInput(client, runId);
 * await startPipelineRun(client, { taskQueue: 'kiln', ...input });
 * ```
 */
export async function retryInput(
  client: Client,
  runId: string,
): Promise<{ input: PipelineRunInput; pipeline: string }> {
  const { description, pipeline } = await describeKilnRun(client, runId);
  const status = description.status.name;
  if (status === 'RUNNING')
    throw new KilnRequestError('conflict', `run ${runId} is still running; cancel it first or wait for it to end`);
  if (status === 'COMPLETED')
    throw new KilnRequestError('conflict', `run ${runId} succeeded; start a new run instead of a retry`);
  const original = await readRunInput(client, runId);
  const { runId: _previous, ...options } = original.options;
  return { input: { spec: original.spec, params: original.params, options: { ...options, cache: true } }, pipeline };
}
