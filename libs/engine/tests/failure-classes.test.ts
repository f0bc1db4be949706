/**
 * The one failure vocabulary (`@kiln/engine-contract`): each class maps to one
 * `ApplicationFailure.type` and one retry decision, and what an executor throws
 * reads back as the class it was thrown as.
 */
import { ActivityFailure, ApplicationFailure, CancelledFailure, RetryState, TimeoutFailure } from '@temporalio/common';
import {
  classifyStepFailure,
  failureClasses,
  nonRetryableStepFailureTypes,
  retriedByWorkflow,
  stepFailure,
  type FailureClass,
} from '@kiln/engine-contract';

/** What Temporal makes of an activity's failure by the time the workflow sees it. */
const asActivityFailure = (cause: Error) =>
  new ActivityFailure('step failed', 'runStep', '1', RetryState.NON_RETRYABLE_FAILURE, undefined, cause);

describe('failure classes', () => {
  it.each<[FailureClass, string, { temporalRetries: boolean; nonRetryable: boolean; workflowRetries: boolean }]>([
    ['user', 'KilnUserError', { temporalRetries: false, nonRetryable: false, workflowRetries: true }],
    [
      'infrastructure',
      'KilnInfrastructureError',
      { temporalRetries: true, nonRetryable: false, workflowRetries: false },
    ],
    ['configuration', 'KilnConfigurationError', { temporalRetries: false, nonRetryable: true, workflowRetries: false }],
  ])('a %s failure is a %s retried as the class says', (failureClass, type, expected) => {
    const failure = stepFailure({ failureClass, reason: 'Because', message: 'it failed', exitCode: 3 });
    expect(failure).toMatchObject({ type, message: 'it failed', details: [{ reason: 'Because', exitCode: 3 }] });
    expect(failure.nonRetryable).toBe(expected.nonRetryable);
    expect(nonRetryableStepFailureTypes.some((listed) => listed === failure.type)).toBe(!expected.temporalRetries);
    expect(retriedByWorkflow(failureClass)).toBe(expected.workflowRetries);
    expect(classifyStepFailure(asActivityFailure(failure))).toEqual({
      kind: failureClass,
      message: 'it failed',
      details: { reason: 'Because', exitCode: 3 },
    });
  });

  it('covers every class, and a user failure that the workflow retries never claims to be non-retryable', () => {
    expect([...failureClasses].sort()).toEqual(['configuration', 'infrastructure', 'user']);
    expect(nonRetryableStepFailureTypes).toEqual(['KilnUserError', 'KilnConfigurationError']);
    expect(stepFailure({ failureClass: 'user', reason: 'NonZeroExit', message: 'exited 1' }).nonRetryable).toBe(false);
  });

  it('names timeouts and cancellations in the same vocabulary, with the stopped pod of a cancellation', () => {
    const timeout = classifyStepFailure(asActivityFailure(new TimeoutFailure('late', undefined, 'START_TO_CLOSE')));
    expect(timeout).toEqual({ kind: 'timeout', message: 'timed out (start-to-close)' });
    expect(retriedByWorkflow('timeout')).toBe(true);
    const pod = { namespace: 'ml', name: 'kiln-train-a1' };
    const cancelled = classifyStepFailure(
      asActivityFailure(new CancelledFailure('stop', [{ reason: 'Cancelled', pod }])),
    );
    expect(cancelled).toEqual({ kind: 'cancelled', message: 'cancelled', details: { reason: 'Cancelled', pod } });
    expect(retriedByWorkflow('cancelled')).toBe(false);
  });

  it('counts an unknown failure type or a plain error as infrastructure, and ignores details that are not step details', () => {
    const unknown = ApplicationFailure.create({ type: 'SomethingElse', message: 'boom', details: ['not details'] });
    expect(classifyStepFailure(asActivityFailure(unknown))).toEqual({ kind: 'infrastructure', message: 'boom' });
    expect(classifyStepFailure(new Error('bug'))).toEqual({ kind: 'infrastructure', message: 'bug' });
  });
});
