/**
 * How a node settled, as far as its downstream cares. `upstreamFailed` (skipped
 * because something upstream failed) propagates like `failed`; a node skipped by
 * a false condition does not.
 */
export type Outcome = 'succeeded' | 'failed' | 'upstreamFailed' | 'skipped' | 'cancelled';

export function isFailure(outcome: Outcome): boolean {
  return outcome === 'failed' || outcome === 'upstreamFailed' || outcome === 'cancelled';
}

/** A DAG's outcome from its nodes': any failure wins, then cancellation. */
export function combine(outcomes: Outcome[]): Outcome {
  if (outcomes.some((o) => o === 'failed' || o === 'upstreamFailed')) return 'failed';
  if (outcomes.some((o) => o === 'cancelled')) return 'cancelled';
  return 'succeeded';
}
