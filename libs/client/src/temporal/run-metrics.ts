/** `runs.metrics` straight on Temporal: each run's document, its Metrics artifacts' numbers. */
import { runMetricsOf, type RunMetrics, type RunsMetrics } from '@kiln/api-contract';
import { getKilnRun, requestRefusalOf } from '@kiln/engine-client';
import type { Client } from '@temporalio/client';

/**
 * @example
 * ```ts
 * const { runs, missing } = await metricsOfRuns(client, ['kiln-training-a', 'kiln-training-b']);
 * ```
 */
export async function metricsOfRuns(client: Client, runIds: readonly string[]): Promise<RunsMetrics> {
  const unique = [...new Set(runIds)];
  const found = await Promise.all(
    unique.map(async (runId): Promise<RunMetrics | undefined> => {
      try {
        return runMetricsOf(runId, await getKilnRun(client, runId));
      } catch (error) {
        if (requestRefusalOf(error)?.code === 'not-found') return undefined;
        throw error;
      }
    }),
  );
  return {
    runs: found.filter((run): run is RunMetrics => run !== undefined),
    missing: unique.filter((_, i) => found[i] === undefined),
  };
}
