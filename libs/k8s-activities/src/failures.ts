/**
 * Pod failures → Temporal failures. The class decides the retry: `user` and
 * `configuration` are non-retryable for Temporal (the workflow retries user
 * failures itself as new numbered attempts; configuration never), while
 * `infrastructure` is retried by Temporal on the same attempt under its policy.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { StepFailureDetails, StepFailureType } from '@kiln/engine-contract';
import type { FailureClass, PodFailure } from './classify';

// Spelled out rather than imported: @kiln/engine's index also exports worker code, and activities import it for types only.
const failureTypes: Record<FailureClass, StepFailureType> = {
  user: 'KilnUserError',
  infrastructure: 'KilnInfrastructureError',
  configuration: 'KilnConfigurationError',
};

/**
 * @example
 * ```ts
 * throw stepFailure({ failureClass: 'user', reason: 'OOMKilled', message: '…', exitCode: 137 },
 *                   { logTail, logUri, pod: { namespace: 'ml', name: 'kiln-train-a1-…' } });
 * ```
 */
export function stepFailure(
  failure: PodFailure,
  extra: Omit<StepFailureDetails, 'reason' | 'exitCode'> = {},
): ApplicationFailure {
  const details: StepFailureDetails = {
    reason: failure.reason,
    ...(failure.exitCode !== undefined && { exitCode: failure.exitCode }),
    ...extra,
  };
  return ApplicationFailure.create({
    type: failureTypes[failure.failureClass],
    message: failure.message,
    details: [details],
    nonRetryable: failure.failureClass !== 'infrastructure',
  });
}
