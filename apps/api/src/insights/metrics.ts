/**
 * `GET /runs/metrics`: the parameters and scalar metrics of many runs in one
 * call, for comparing them side by side. A metric is a numeric value in a
 * Metrics artifact's metadata (what `log_metric` records).
 */
import { runMetricsOf, type RunMetrics, type RunsMetrics } from '@kiln/api-contract';
import { requestRefusalOf } from '@kiln/engine-client';
import type { ApiDeps } from '../deps';
import { getRun } from '../runs/get';

/** Runs read at once: each is a status query or a record read. */
const concurrency = 8;

async function metricsOfRun(deps: ApiDeps, runId: string): Promise<RunMetrics | undefined> {
  let run;
  try {
    run = await getRun(deps, runId);
  } catch (error) {
    // No such workflow, or one that is not a Kiln run: reported as missing.
    if (requestRefusalOf(error)?.code === 'not-found') return undefined;
    throw error;
  }
  return runMetricsOf(runId, run);
}

/**
 * @example
 * ```ts
 * const { runs, missing } = await runsMetrics(deps, ['kiln-training-a', 'kiln-training-b']);
 * ```
 */
export async function runsMetrics(deps: ApiDeps, runIds: readonly string[]): Promise<RunsMetrics> {
  const unique = [...new Set(runIds)];
  const found = new Map<string, RunMetrics | undefined>();
  for (let at = 0; at < unique.length; at += concurrency) {
    const slice = unique.slice(at, at + concurrency);
    const results = await Promise.all(slice.map((id) => metricsOfRun(deps, id)));
    slice.forEach((id, i) => found.set(id, results[i]));
  }
  const runs: RunMetrics[] = [];
  const missing: string[] = [];
  for (const id of unique) {
    const metrics = found.get(id);
    if (metrics) runs.push(metrics);
    else missing.push(id);
  }
  return { runs, missing };
}
