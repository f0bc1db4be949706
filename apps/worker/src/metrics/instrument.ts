/** Counting what the executor's activities do, without touching the executors. */
import type { KilnActivities } from '@kiln/engine-contract';
import type { WorkerMetrics } from './registry';

/**
 * Wraps activities so every step attempt, cache lookup and finished run is counted.
 *
 * @example
 * ```ts
 * const activities = instrumentActivities(createLocalExecutorActivities({ store }), metrics);
 * ```
 */
export function instrumentActivities(activities: KilnActivities, metrics: WorkerMetrics): KilnActivities {
  return {
    ...activities,
    async runStep(req) {
      const executor = req.executor;
      metrics.stepsStarted.inc({ executor });
      const stop = metrics.stepDuration.startTimer({ executor });
      try {
        const result = await activities.runStep(req);
        metrics.stepsSucceeded.inc({ executor });
        stop({ outcome: 'succeeded' });
        return result;
      } catch (error) {
        const failureType = failureTypeOf(error);
        metrics.stepsFailed.inc({ executor, failure_type: failureType });
        stop({ outcome: failureType === 'cancelled' ? 'cancelled' : 'failed' });
        throw error;
      }
    },
    async lookupCache(req) {
      const result = await activities.lookupCache(req);
      metrics.cacheLookups.inc({ result: result.hit ? 'hit' : 'miss' });
      return result;
    },
    async saveRunRecord(doc) {
      await activities.saveRunRecord(doc);
      metrics.runsFinished.inc({ state: doc.state });
    },
  };
}

function failureTypeOf(error: unknown): string {
  if (error instanceof Error && error.name === 'CancelledFailure') return 'cancelled';
  const type = (error as { type?: unknown } | null)?.type;
  return typeof type === 'string' && type.startsWith('Kiln') ? type : 'other';
}
