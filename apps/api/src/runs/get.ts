/**
 * A run's status document: the run record in the store once the run closed
 * (no worker needed), the live `status` query while it runs, and a minimal
 * document from Temporal's own description when neither answers (a run that
 * failed before its first query handler, or no worker polling).
 */
import { ArtifactNotFoundError } from '@kiln/artifacts';
import { runRecordKey } from '@kiln/activities';
import { KilnExperiment, KilnPipelineDigest, KilnPipelineName, KilnRunStatus, statusQuery, type PipelineRunInput, type RunStatusDocument } from '@kiln/engine';
import type { WorkflowExecutionDescription, WorkflowHandle } from '@temporalio/client';
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow';
import type { ApiDeps } from '../deps';
import { notFound } from '../errors';
import { readOrigin, type RunOrigin } from './origin';
import { stateOf, temporalUiLink } from './state';

export interface RunResource extends RunStatusDocument {
  temporal: { status: string; runId: string; historyLength: number; ui?: string };
  origin?: RunOrigin;
}

/** How long a status query may take before the API answers from what else it has. */
const queryDeadlineMs = 5000;

/** Describes a run, 404 if it is not a Kiln run. */
export async function describeRun(deps: ApiDeps, runId: string): Promise<{ handle: WorkflowHandle; description: WorkflowExecutionDescription; pipeline: string }> {
  const handle = deps.client.workflow.getHandle(runId);
  const description = await handle.describe();
  if (description.type !== 'kilnPipelineRun') throw notFound(`run ${runId} not found (workflow ${runId} is a ${description.type}, not a Kiln run)`);
  const pipeline = description.typedSearchAttributes.get(KilnPipelineName) ?? '';
  return { handle, description, pipeline };
}

/** The run status document via the live query, bounded by a deadline. */
export async function queryStatus(deps: ApiDeps, handle: WorkflowHandle): Promise<RunStatusDocument | undefined> {
  try {
    return await deps.client.withDeadline(Date.now() + queryDeadlineMs, () => handle.query(statusQuery));
  } catch {
    return undefined;
  }
}

async function readRecord(deps: ApiDeps, pipeline: string, runId: string): Promise<RunStatusDocument | undefined> {
  if (!pipeline) return undefined;
  try {
    return await deps.store.readJson<RunStatusDocument>(runRecordKey(pipeline, runId));
  } catch (error) {
    if (error instanceof ArtifactNotFoundError) return undefined;
    throw error;
  }
}

/**
 * @example
 * ```ts
 * const run = await getRun(deps, 'kiln-training-01jd...');
 * console.log(run.state, run.tasks.length, run.temporal.ui);
 * ```
 */
export async function getRun(deps: ApiDeps, runId: string): Promise<RunResource> {
  const { handle, description, pipeline } = await describeRun(deps, runId);
  const status = description.status.name;
  const closed = status !== 'RUNNING';
  const doc = (closed ? await readRecord(deps, pipeline, runId) : undefined) ?? (await queryStatus(deps, handle));
  const attrs = description.typedSearchAttributes;
  const base: RunStatusDocument = doc ?? {
    runId,
    workflowId: runId,
    pipeline: { name: pipeline, digest: attrs.get(KilnPipelineDigest) ?? '' },
    params: {},
    state: stateOf(status, attrs.get(KilnRunStatus)),
    startedAt: description.startTime.toISOString(),
    ...(description.closeTime ? { finishedAt: description.closeTime.toISOString() } : {}),
    ...(attrs.get(KilnExperiment) ? { experiment: attrs.get(KilnExperiment) } : {}),
    tasks: [],
  };
  // A terminated or timed-out run never saved its final state: Temporal's status wins.
  const state = closed ? stateOf(status, base.state) : base.state;
  const origin = await readOrigin(deps.store, pipeline, runId);
  const ui = temporalUiLink(deps.temporalUiUrl, deps.client.options.namespace, runId);
  return {
    ...base,
    state,
    ...(closed && !base.finishedAt && description.closeTime ? { finishedAt: description.closeTime.toISOString() } : {}),
    temporal: { status, runId: description.runId, historyLength: description.historyLength, ...(ui ? { ui } : {}) },
    ...(origin ? { origin } : {}),
  };
}

/** The workflow's input (spec, params, options), read from the first history event. */
export async function readRunInput(deps: ApiDeps, runId: string): Promise<PipelineRunInput> {
  const response = await deps.client.workflowService.getWorkflowExecutionHistory({
    namespace: deps.client.options.namespace,
    execution: { workflowId: runId },
    maximumPageSize: 1,
  });
  const payloads = response.history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads;
  if (!payloads?.length) throw notFound(`run ${runId} has no recorded input`);
  return decodeFromPayloadsAtIndex<PipelineRunInput>(deps.client.options.loadedDataConverter, 0, payloads);
}
