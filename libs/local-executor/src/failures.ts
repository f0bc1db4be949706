/**
 * Launcher failures → Temporal failures. The launcher classifies (it saw the
 * exit code, the signal, pip's failure); here the class becomes the
 * `ApplicationFailure.type` the workflow's retry policies branch on.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { StepFailureDetails, StepFailureType } from '@kiln/engine-contract';
import type { LaunchFailure, LaunchFailureType } from '@kiln/launcher';

// Spelled out rather than imported: @kiln/engine's index also exports worker code, and activities import it for types only.
const failureTypes: Record<Exclude<LaunchFailureType, 'cancelled'>, StepFailureType> = {
  user: 'KilnUserError',
  infrastructure: 'KilnInfrastructureError',
  configuration: 'KilnConfigurationError',
};

/**
 * The `ApplicationFailure` for a failed step: user failures are retried by the
 * workflow (per the task's policy, as new attempts), infrastructure failures
 * by Temporal (same attempt), configuration failures never.
 *
 * @example
 * ```ts
 * throw stepFailure({ failureType: 'user', reason: 'NonZeroExit', message: 'exited 3', exitCode: 3, logTail });
 * ```
 */
export function stepFailure(failure: LaunchFailure): ApplicationFailure {
  const type = failureTypes[failure.failureType === 'cancelled' ? 'infrastructure' : failure.failureType];
  const details: StepFailureDetails = {
    reason: failure.reason,
    ...(failure.exitCode !== undefined && { exitCode: failure.exitCode }),
    ...(failure.logTail !== undefined && { logTail: failure.logTail }),
    ...(failure.logUri !== undefined && { logUri: failure.logUri }),
  };
  return ApplicationFailure.create({
    type,
    message: failure.message,
    details: [details],
    // User failures are non-retryable *for Temporal*: the workflow retries them as new numbered attempts.
    nonRetryable: failure.failureType !== 'infrastructure',
  });
}
