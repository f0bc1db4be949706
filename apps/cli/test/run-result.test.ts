/**
 * `kiln run` waiting for a run's result. The handle here is a stand-in: a history read that the server
 * answers with an error (what a loaded server does to a long poll now and then) cannot be produced on
 * demand from the shared Temporal without stopping it, which tests must not do.
 */
import { ServiceError, WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure, RetryState } from '@temporalio/common';
import type { RunStatusDocument } from '@kiln/engine-contract';
import { awaitRunResult } from '../src/run/run-result';

const finalDoc: RunStatusDocument = {
  runId: 'r1',
  workflowId: 'kiln-retries-r1',
  pipeline: { name: 'retries', digest: 'sha256:0' },
  params: {},
  state: 'FAILED',
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: '2026-01-01T00:00:04.000Z',
  tasks: [],
};
const deadlineExceeded = () =>
  new ServiceError('Failed to get Workflow execution history', { cause: new Error('4 DEADLINE_EXCEEDED') });

/** A handle whose `result()` answers each of `answers` in turn (an Error is thrown, anything else returned). */
function handleAnswering(answers: unknown[]): Pick<WorkflowHandle, 'result'> & { calls: number } {
  const handle = {
    calls: 0,
    result: async () => {
      const answer = answers[Math.min(handle.calls++, answers.length - 1)];
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
  return handle;
}

test('a failed read of the result is not the run ending: it reads again and answers the final document', async () => {
  const handle = handleAnswering([deadlineExceeded(), deadlineExceeded(), finalDoc]);
  const said: string[] = [];
  const result = await awaitRunResult(handle, { retryMs: 10, onReadFailed: (why) => said.push(why) });
  expect(result).toEqual({ doc: finalDoc });
  expect(handle.calls).toBe(3);
  expect(said).toEqual(['Failed to get Workflow execution history: 4 DEADLINE_EXCEEDED']);
});

test("the run's own failure is its end at once", async () => {
  const failed = new WorkflowFailedError(
    'Workflow execution failed',
    ApplicationFailure.nonRetryable('Pipeline "retries" failed', 'RUN_FAILED', finalDoc),
    RetryState.NON_RETRYABLE_FAILURE,
  );
  const handle = handleAnswering([failed]);
  expect(await awaitRunResult(handle, { retryMs: 10 })).toEqual({ failure: failed });
  expect(handle.calls).toBe(1);
});

test('reads failing for longer than the patience give the last error as the answer', async () => {
  const handle = handleAnswering([deadlineExceeded()]);
  const result = await awaitRunResult(handle, { retryMs: 10, patienceMs: 50 });
  expect('failure' in result && result.failure).toBeInstanceOf(ServiceError);
  expect(handle.calls).toBeGreaterThan(2);
});
