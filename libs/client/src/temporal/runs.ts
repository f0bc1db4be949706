/**
 * Runs straight on Temporal: the status document comes from the `status`
 * query while the run runs and from the workflow's result (or its failure's
 * details) once it ended, so a closed run needs no worker to be read.
 */
import {
  INVALID_PARAMS,
  KilnExperiment,
  KilnPipelineDigest,
  KilnPipelineName,
  KilnRunStatus,
  RUN_FAILED,
  statusQuery,
  type PipelineRunInput,
  type RunState,
  type RunStatusDocument,
} from '@kiln/engine';
import { ApplicationFailure, WorkflowFailedError, type Client, type WorkflowExecutionDescription, type WorkflowHandle } from '@temporalio/client';
import { executionInfoFromRaw } from '@temporalio/client/lib/helpers';
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow';
import { KilnApiError } from '../errors';
import type { Page, RunDetails, RunFilter, RunSummary } from '../resources';

/** How long a status query may take before the client answers from what else it has. */
const queryDeadlineMs = 5000;

/** A closed workflow's status decides the run state; a running one is RUNNING or, before its first step, PENDING. */
export function stateOf(temporalStatus: string, recorded?: string): RunState {
  switch (temporalStatus) {
    case 'COMPLETED':
      return 'SUCCEEDED';
    case 'CANCELLED':
      return 'CANCELLED';
    case 'FAILED':
    case 'TERMINATED':
    case 'TIMED_OUT':
      return 'FAILED';
    default:
      return recorded === 'PENDING' ? 'PENDING' : 'RUNNING';
  }
}

export function uiLink(base: string | undefined, namespace: string, workflowId: string): string | undefined {
  return base ? `${base.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}` : undefined;
}

export async function describeRun(client: Client, runId: string): Promise<{ handle: WorkflowHandle; description: WorkflowExecutionDescription }> {
  const handle = client.workflow.getHandle(runId);
  const description = await handle.describe();
  if (description.type !== 'kilnPipelineRun') throw new KilnApiError(404, 'not-found', `run ${runId} not found (workflow ${runId} is a ${description.type}, not a Kiln run)`);
  return { handle, description };
}

async function query(client: Client, handle: WorkflowHandle): Promise<RunStatusDocument | undefined> {
  try {
    return await client.withDeadline(Date.now() + queryDeadlineMs, () => handle.query(statusQuery));
  } catch {
    return undefined;
  }
}

/** The final document of a closed run: its result, or the one its failure carries. */
async function finalDocument(handle: WorkflowHandle): Promise<RunStatusDocument | undefined> {
  try {
    return (await handle.result()) as RunStatusDocument;
  } catch (error) {
    const cause = error instanceof WorkflowFailedError ? error.cause : undefined;
    if (cause instanceof ApplicationFailure && cause.type === RUN_FAILED) return cause.details?.[0] as RunStatusDocument | undefined;
    return undefined;
  }
}

/** Why a run that never produced a document failed (e.g. invalid parameters). */
async function failureMessage(handle: WorkflowHandle): Promise<string | undefined> {
  try {
    await handle.result();
    return undefined;
  } catch (error) {
    const cause = error instanceof WorkflowFailedError ? error.cause : undefined;
    if (cause instanceof ApplicationFailure && cause.type === INVALID_PARAMS) return cause.message;
    return cause?.message ?? (error instanceof Error ? error.message : undefined);
  }
}

export async function getRun(client: Client, runId: string, ui: string | undefined): Promise<RunDetails> {
  const { handle, description } = await describeRun(client, runId);
  const status = description.status.name;
  const closed = status !== 'RUNNING';
  const doc = (closed ? await finalDocument(handle) : undefined) ?? (await query(client, handle));
  const attrs = description.typedSearchAttributes;
  const experiment = attrs.get(KilnExperiment);
  const error = !doc && closed ? await failureMessage(handle) : undefined;
  const base: RunStatusDocument = doc ?? {
    runId,
    workflowId: runId,
    pipeline: { name: attrs.get(KilnPipelineName) ?? '', digest: attrs.get(KilnPipelineDigest) ?? '' },
    params: {},
    state: stateOf(status, attrs.get(KilnRunStatus)),
    startedAt: description.startTime.toISOString(),
    ...(experiment ? { experiment } : {}),
    ...(error ? { error } : {}),
    tasks: [],
  };
  const link = uiLink(ui, client.options.namespace, runId);
  return {
    ...base,
    // A terminated or timed-out run never recorded its final state: Temporal's status wins.
    state: closed ? stateOf(status, base.state) : base.state,
    ...(closed && !base.finishedAt && description.closeTime ? { finishedAt: description.closeTime.toISOString() } : {}),
    temporal: { status, runId: description.runId, historyLength: description.historyLength, ...(link ? { ui: link } : {}) },
  };
}

/** The visibility query for the filters; values are quoted and stripped of quotes. */
export function runsQuery(filter: RunFilter): string {
  const quote = (v: string) => `'${v.replace(/['"\\]/g, '')}'`;
  const parts = [`WorkflowType = 'kilnPipelineRun'`];
  if (filter.pipeline) parts.push(`KilnPipelineName = ${quote(filter.pipeline)}`);
  if (filter.digest) parts.push(`KilnPipelineDigest = ${quote(filter.digest)}`);
  if (filter.experiment) parts.push(`KilnExperiment = ${quote(filter.experiment)}`);
  switch (filter.status) {
    case undefined:
      break;
    case 'PENDING':
      parts.push(`ExecutionStatus = 'Running' AND KilnRunStatus = 'PENDING'`);
      break;
    case 'RUNNING':
      parts.push(`ExecutionStatus = 'Running'`);
      break;
    case 'SUCCEEDED':
      parts.push(`ExecutionStatus = 'Completed'`);
      break;
    case 'CANCELLED':
      parts.push(`ExecutionStatus = 'Canceled'`);
      break;
    case 'FAILED':
      parts.push(`ExecutionStatus IN ('Failed', 'Terminated', 'TimedOut')`);
      break;
  }
  return parts.join(' AND ');
}

export async function listRuns(client: Client, filter: RunFilter, ui: string | undefined): Promise<Page<RunSummary>> {
  const response = await client.workflowService.listWorkflowExecutions({
    namespace: client.options.namespace,
    pageSize: filter.pageSize ?? 50,
    query: runsQuery(filter),
    ...(filter.pageToken ? { nextPageToken: Buffer.from(filter.pageToken, 'base64url') } : {}),
  });
  const items: RunSummary[] = [];
  for (const raw of response.executions ?? []) {
    const info = await executionInfoFromRaw(raw, client.options.loadedDataConverter, raw, client.options.namespace);
    const attrs = info.typedSearchAttributes;
    const digest = attrs.get(KilnPipelineDigest);
    const experiment = attrs.get(KilnExperiment);
    const link = uiLink(ui, client.options.namespace, info.workflowId);
    items.push({
      runId: info.workflowId,
      pipeline: { name: attrs.get(KilnPipelineName) ?? '', ...(digest ? { digest } : {}) },
      ...(experiment ? { experiment } : {}),
      state: stateOf(info.status.name, attrs.get(KilnRunStatus)),
      temporalStatus: info.status.name,
      startedAt: info.startTime.toISOString(),
      ...(info.closeTime ? { finishedAt: info.closeTime.toISOString() } : {}),
      ...(link ? { ui: link } : {}),
    });
  }
  const token = response.nextPageToken?.length ? Buffer.from(response.nextPageToken).toString('base64url') : undefined;
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
  if (!payloads?.length) throw new KilnApiError(404, 'not-found', `run ${runId} has no recorded input`);
  return decodeFromPayloadsAtIndex<PipelineRunInput>(client.options.loadedDataConverter, 0, payloads);
}
