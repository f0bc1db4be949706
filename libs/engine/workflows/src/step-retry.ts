/**
 * The workflow's side of a step's retries: how many attempts the task's policy
 * allows for user failures, whether Temporal retries infrastructure failures
 * within an attempt, the backoff between attempts, and how a failed attempt
 * reads in the status document.
 */
import type { TaskNode } from '@kiln/ir';
import type { ClassifiedFailure } from '@kiln/engine-contract';

type RetryPolicy = TaskNode['settings']['retry'];

/** Attempts the workflow makes at most: the policy's, when it retries user failures; else one. */
export function userAttempts(retry: RetryPolicy): number {
  return retry?.retryOn.includes('user') ? retry.maxAttempts : 1;
}

/** Whether Temporal retries infrastructure failures within an attempt: unless a policy leaves them out. */
export function infrastructureRetries(retry: RetryPolicy): boolean {
  return !retry || retry.retryOn.includes('infrastructure');
}

/** The wait before the attempt after `attempt`. */
export function backoffMs(retry: RetryPolicy, attempt: number): number {
  if (!retry) return 1000;
  const seconds = Math.min(retry.initialBackoffSeconds * retry.backoffFactor ** (attempt - 1), retry.maxBackoffSeconds);
  // Timers need a positive duration; a zero backoff still yields one workflow task.
  return Math.max(1, Math.round(seconds * 1000));
}

/**
 * A failed attempt as the status document's `error`: attempt, class, reason, message, exit code and
 * log tail, e.g. `attempt 2: user failure (NonZeroExit): the command exited with code 3; exit code 3`.
 */
export function describeFailure(f: ClassifiedFailure, attempt: number): string {
  const reason = f.details?.reason ? ` (${f.details.reason})` : '';
  const parts = [`attempt ${attempt}: ${f.kind} failure${reason}: ${f.message}`];
  if (f.details?.exitCode !== undefined) parts.push(`exit code ${f.details.exitCode}`);
  if (f.details?.logTail) parts.push(`log tail:\n${f.details.logTail}`);
  return parts.join('; ');
}
