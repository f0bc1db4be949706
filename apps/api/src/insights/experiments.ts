/**
 * `GET /experiments`: the experiments runs were started under, from Temporal
 * visibility (the `KilnExperiment` search attribute). Visibility cannot group,
 * so the newest runs that have one are read, up to a limit, and grouped here;
 * the answer says whether older runs were left unread.
 */
import type { ExperimentList, ExperimentSummary } from '@kiln/api-contract';
import { KilnExperiment, KilnPipelineName } from '@kiln/engine-client';
import type { ApiDeps } from '../deps';

/** Runs read at most: a few visibility pages. */
export const experimentScanLimit = 5000;

const quote = (v: string) => `'${v.replace(/['"\\]/g, '')}'`;

/**
 * @example
 * ```ts
 * const { experiments } = await listExperiments(deps, { pipeline: 'training' });
 * ```
 */
export async function listExperiments(
  deps: ApiDeps,
  filter: { pipeline?: string },
  limit = experimentScanLimit,
): Promise<ExperimentList> {
  const parts = [`WorkflowType = 'kilnPipelineRun'`, 'KilnExperiment IS NOT NULL'];
  if (filter.pipeline) parts.push(`KilnPipelineName = ${quote(filter.pipeline)}`);
  const byName = new Map<string, ExperimentSummary & { pipelineSet: Set<string> }>();
  let scanned = 0;
  let complete = true;
  for await (const execution of deps.client.workflow.list({ query: parts.join(' AND '), pageSize: 1000 })) {
    if (scanned >= limit) {
      complete = false;
      break;
    }
    scanned++;
    const name = execution.typedSearchAttributes.get(KilnExperiment);
    if (!name) continue;
    const startedAt = execution.startTime.toISOString();
    const pipeline = execution.typedSearchAttributes.get(KilnPipelineName) ?? '';
    const known = byName.get(name);
    if (known) {
      known.runs++;
      if (startedAt > known.lastStartedAt) known.lastStartedAt = startedAt;
      if (pipeline) known.pipelineSet.add(pipeline);
    } else {
      byName.set(name, { name, runs: 1, lastStartedAt: startedAt, pipelines: [], pipelineSet: new Set([pipeline]) });
    }
  }
  const experiments = [...byName.values()]
    .map(({ pipelineSet, ...summary }) => ({ ...summary, pipelines: [...pipelineSet].filter(Boolean).sort() }))
    .sort((a, b) => b.lastStartedAt.localeCompare(a.lastStartedAt));
  return { experiments, scannedRuns: scanned, complete };
}
