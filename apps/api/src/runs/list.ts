/**
 * Listing runs through Temporal visibility: a query on Kiln's search
 * attributes (pipeline, digest, experiment) and the execution status, one page
 * at a time with Temporal's own page token (opaque to clients, base64url).
 */
import type { RunState } from '@kiln/engine';
import { KilnExperiment, KilnPipelineDigest, KilnPipelineName, KilnRunStatus } from '@kiln/engine';
import { executionInfoFromRaw } from '@temporalio/client/lib/helpers';
import type { ApiDeps } from '../deps';
import { invalidRequest } from '../errors';
import { stateOf, statusCondition, temporalUiLink } from './state';

export interface RunFilters {
  pipeline?: string;
  digest?: string;
  experiment?: string;
  status?: RunState;
  pageSize: number;
  pageToken?: string;
}

export interface RunSummary {
  runId: string;
  pipeline: { name: string; digest?: string };
  experiment?: string;
  state: RunState;
  temporalStatus: string;
  startedAt: string;
  finishedAt?: string;
  ui?: string;
}

/** The visibility query for the filters. Values are pattern-checked by the route, and quoted here. */
export function runsQuery(filters: Omit<RunFilters, 'pageSize' | 'pageToken'>): string {
  const quote = (v: string) => `'${v.replace(/['\\]/g, '')}'`;
  const parts = [`WorkflowType = 'kilnPipelineRun'`];
  if (filters.pipeline) parts.push(`KilnPipelineName = ${quote(filters.pipeline)}`);
  if (filters.digest) parts.push(`KilnPipelineDigest = ${quote(filters.digest)}`);
  if (filters.experiment) parts.push(`KilnExperiment = ${quote(filters.experiment)}`);
  if (filters.status) parts.push(statusCondition(filters.status));
  return parts.join(' AND ');
}

/**
 * @example
 * ```ts
 * const page = await listRuns(deps, { pipeline: 'training', status: 'FAILED', pageSize: 20 });
 * const next = page.nextPageToken && await listRuns(deps, { pipeline: 'training', status: 'FAILED', pageSize: 20, pageToken: page.nextPageToken });
 * ```
 */
export async function listRuns(deps: ApiDeps, filters: RunFilters): Promise<{ runs: RunSummary[]; nextPageToken?: string }> {
  const { client } = deps;
  let nextPageToken: Buffer | undefined;
  if (filters.pageToken) {
    nextPageToken = Buffer.from(filters.pageToken, 'base64url');
    if (nextPageToken.length === 0) throw invalidRequest('pageToken is not a token from a previous page');
  }
  const response = await client.workflowService.listWorkflowExecutions({
    namespace: client.options.namespace,
    pageSize: filters.pageSize,
    query: runsQuery(filters),
    ...(nextPageToken ? { nextPageToken } : {}),
  }).catch((error: Error & { code?: number }) => {
    // INVALID_ARGUMENT: a token from another query or a corrupted one.
    if (error.code === 3 && filters.pageToken) throw invalidRequest(`pageToken was refused by Temporal: ${error.message}`);
    throw error;
  });
  const runs: RunSummary[] = [];
  for (const raw of response.executions ?? []) {
    const info = await executionInfoFromRaw(raw, client.options.loadedDataConverter, raw, client.options.namespace);
    const attrs = info.typedSearchAttributes;
    const digest = attrs.get(KilnPipelineDigest);
    const experiment = attrs.get(KilnExperiment);
    const ui = temporalUiLink(deps.temporalUiUrl, client.options.namespace, info.workflowId);
    runs.push({
      runId: info.workflowId,
      pipeline: { name: attrs.get(KilnPipelineName) ?? '', ...(digest ? { digest } : {}) },
      ...(experiment ? { experiment } : {}),
      state: stateOf(info.status.name, attrs.get(KilnRunStatus)),
      temporalStatus: info.status.name,
      startedAt: info.startTime.toISOString(),
      ...(info.closeTime ? { finishedAt: info.closeTime.toISOString() } : {}),
      ...(ui ? { ui } : {}),
    });
  }
  const token = response.nextPageToken?.length ? Buffer.from(response.nextPageToken).toString('base64url') : undefined;
  return { runs, ...(token ? { nextPageToken: token } : {}) };
}
