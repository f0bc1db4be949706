/**
 * Activity proxies of the interpreter. Store-backed activities share one policy;
 * `runStep` gets per-call options (summary, timeouts, retry) in `step.ts`.
 */
import { proxyActivities, proxyLocalActivities, type ActivityOptions } from '@temporalio/workflow';
import type { KilnActivities } from '@kiln/engine-contract';

const storeRetry = { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 10 };

/**
 * Store calls are short and idempotent: retry them generously, and give each try a minute. The
 * timeout is also how long a task lost between the server and a busy worker holds the run up: the
 * API load test saw a run's first activity dispatched, never run, and tried again only when its
 * timeout (then 5 minutes) ran out (tools/bench/results/api-load.md).
 */
export const storeActivityOptions: ActivityOptions = { startToCloseTimeout: '1 minute', retry: storeRetry };

export const storeActivities = proxyActivities<KilnActivities>(storeActivityOptions);

/** `importArtifact` with `reimport` copies a whole artifact into the store: it keeps the longer timeout. */
export const importActivities = proxyActivities<KilnActivities>({
  ...storeActivityOptions,
  startToCloseTimeout: '5 minutes',
});

/**
 * Local activities: run by the worker that runs the workflow task, with no task queue round trip,
 * for the run's own bookkeeping at its start and end (`resolveRunContext`: a digest of the spec;
 * `saveRunRecord`: one record written to the store).
 */
export const localStoreActivities = proxyLocalActivities<KilnActivities>({
  startToCloseTimeout: '1 minute',
  retry: storeRetry,
});

/** The same activities, for calls that pass their own options. */
export const stepActivities = proxyActivities<KilnActivities>({ startToCloseTimeout: '24 hours' });
