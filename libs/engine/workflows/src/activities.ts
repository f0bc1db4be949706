/**
 * Activity proxies of the interpreter. Store-backed activities share one policy;
 * `runStep` gets per-call options (summary, timeouts, retry) in `step.ts`.
 */
import { proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { KilnActivities } from '@kiln/engine-contract';

/** Store calls are short and idempotent: retry them generously. */
export const storeActivityOptions: ActivityOptions = {
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 10 },
};

export const storeActivities = proxyActivities<KilnActivities>(storeActivityOptions);

/** The same activities, for calls that pass their own options. */
export const stepActivities = proxyActivities<KilnActivities>({ startToCloseTimeout: '24 hours' });
