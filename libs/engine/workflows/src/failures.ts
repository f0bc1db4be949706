/**
 * Turns what a step activity threw into a Kiln failure: which kind it was, so
 * the workflow knows whether the task's user retry policy applies, and what to
 * show (reason, exit code, log tail).
 */
import {
  ActivityFailure,
  ApplicationFailure,
  CancelledFailure,
  TimeoutFailure,
  isCancellation,
} from '@temporalio/workflow';
import { StepFailureType, type StepFailureDetails } from '@kiln/engine-contract';

export interface ClassifiedFailure {
  kind: 'user' | 'infrastructure' | 'configuration' | 'timeout' | 'cancelled';
  message: string;
  details?: StepFailureDetails;
}

export function classifyStepFailure(error: unknown): ClassifiedFailure {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (isCancellation(error)) {
    // An executor that stopped the step may say what it stopped (the deleted pod) in the cancellation's details.
    const details =
      cause instanceof CancelledFailure
        ? ((cause.details?.[0] ?? undefined) as StepFailureDetails | undefined)
        : undefined;
    return { kind: 'cancelled', message: 'cancelled', ...(details ? { details } : {}) };
  }
  if (cause instanceof TimeoutFailure) {
    return { kind: 'timeout', message: `timed out (${timeoutName(cause.timeoutType)})` };
  }
  if (cause instanceof ApplicationFailure) {
    const details = (cause.details?.[0] ?? undefined) as StepFailureDetails | undefined;
    const message = cause.message || details?.reason || 'step failed';
    switch (cause.type) {
      case StepFailureType.user:
        return { kind: 'user', message, ...(details ? { details } : {}) };
      case StepFailureType.configuration:
        return { kind: 'configuration', message, ...(details ? { details } : {}) };
      default:
        // Unknown types (a bug, a thrown Error) count as infrastructure: Temporal already retried them.
        return { kind: 'infrastructure', message, ...(details ? { details } : {}) };
    }
  }
  return { kind: 'infrastructure', message: error instanceof Error ? error.message : String(error) };
}

function timeoutName(type: unknown): string {
  return typeof type === 'string' ? type.toLowerCase().replace(/_/g, '-') : 'unknown';
}
