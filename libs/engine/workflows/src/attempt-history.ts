/**
 * Every attempt of a step as it happened, kept in the task's `attemptHistory`
 * (the UI's attempt list): number, times, how many executions it took, how it
 * ended (failure class and reason, exit code), its pod and saved log.
 *
 * Only the status document changes: no command, timer or activity depends on it,
 * so runs in flight replay unchanged and the history simply starts with the
 * attempts made after an upgrade.
 */
import type { AttemptRecord, ClassifiedFailure, StepResult, TaskStatus } from '@kiln/engine-contract';

/** Starts the record of `attempt`, running since now. */
export function attemptStarted(entry: TaskStatus, attempt: number): void {
  const history = entry.attemptHistory ?? [];
  history.push({ attempt, state: 'running', startedAt: new Date().toISOString() });
  entry.attemptHistory = history;
}

/** Closes the current attempt as succeeded, with what the executor reported about it. */
export function attemptSucceeded(entry: TaskStatus, result: StepResult): void {
  closeAttempt(entry, {
    state: 'succeeded',
    exitCode: result.exitCode,
    ...(result.tries !== undefined && { tries: result.tries }),
    ...(result.pod && { pod: result.pod }),
    ...(result.logUri !== undefined && { logUri: result.logUri }),
  });
}

/** Closes the current attempt as failed (or cancelled), with its failure class, reason and details. */
export function attemptFailed(entry: TaskStatus, failure: ClassifiedFailure): void {
  const details = failure.details;
  closeAttempt(entry, {
    state: failure.kind === 'cancelled' ? 'cancelled' : 'failed',
    failureClass: failure.kind,
    reason: details?.reason ?? reasonOf(failure),
    error: failure.message,
    ...(details?.exitCode !== undefined && { exitCode: details.exitCode }),
    ...(details?.tries !== undefined && { tries: details.tries }),
    ...(details?.pod && { pod: details.pod }),
    ...(details?.logUri !== undefined && { logUri: details.logUri }),
  });
}

/** A stable reason for failures that carry no executor details (timeouts, cancellations, bugs). */
function reasonOf(failure: ClassifiedFailure): string {
  if (failure.kind === 'timeout') return 'DeadlineExceeded';
  if (failure.kind === 'cancelled') return 'Cancelled';
  return 'ActivityFailed';
}

function closeAttempt(entry: TaskStatus, ended: Partial<AttemptRecord> & Pick<AttemptRecord, 'state'>): void {
  const current = entry.attemptHistory?.[entry.attemptHistory.length - 1];
  if (!current || current.finishedAt) return;
  Object.assign(current, ended, { finishedAt: new Date().toISOString() });
}
