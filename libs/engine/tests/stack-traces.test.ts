/**
 * The workflow sandbox's stack traces are off by default (each promise the interpreter creates would
 * otherwise have its stack captured and source-mapped) and come back with `workflowStackTraces`.
 * Read through the Temporal SDK's built-in `__stack_trace` query, as the Temporal UI does.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { runInNewContext } from 'node:vm';
import { processStackTraceLimit } from '@kiln/engine-worker';
import { startHarness, type Harness } from './support/harness';
import { c, pipeline, task } from './support/ir';

const harnesses: Harness[] = [];
afterAll(() => Promise.all(harnesses.map((h) => h.close())));

/** The `__stack_trace` answer of a run whose only step is still running. */
async function stackOfRunningStep(h: Harness): Promise<string> {
  const handle: WorkflowHandle = await h.start(
    pipeline('stack-trace', { slow: task({ value: c('x'), sleepMs: c(3000) }) }),
  );
  // The step's activity is scheduled by the run's first workflow tasks; wait for it to be running.
  for (let tries = 0; tries < 100; tries++) {
    if (h.log.calls.length > 0) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const stack = await handle.query<string>('__stack_trace');
  await handle.result();
  return stack;
}

it('leaves stack traces out of the workflow sandbox by default', async () => {
  const h = await startHarness();
  harnesses.push(h);
  const stack = await stackOfRunningStep(h);
  expect(stack).not.toMatch(/runStep|runDag|step\.ts/);
}, 60_000);

it('gives contexts made after the worker the process limit again', () => {
  // The first test's worker is made by now; a context made later is not the sandbox's.
  expect(runInNewContext('Error.stackTraceLimit')).toBe(processStackTraceLimit());
});

it('keeps them with workflowStackTraces', async () => {
  const h = await startHarness(undefined, { workflowStackTraces: true });
  harnesses.push(h);
  expect(await stackOfRunningStep(h)).toMatch(/runStep|runAttempt/);
}, 60_000);

it('reads the limit the process started with', () => {
  expect(processStackTraceLimit([], '')).toBe(10);
  expect(processStackTraceLimit(['--stack-trace-limit=25'], '')).toBe(25);
  expect(processStackTraceLimit([], '--max-old-space-size=512 --stack_trace_limit=7')).toBe(7);
});
