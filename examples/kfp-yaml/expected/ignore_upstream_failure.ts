import type { Expectation } from '../expectation';

/** ALL_UPSTREAM_TASKS_COMPLETED on a task that is not an exit task is Kiln's ignoreUpstreamFailure. */
export const expectation: Expectation = {
  feature: 'ignore_upstream_failure()',
  translated: {
    pipeline: 'ignore-upstream-failure',
    params: { should_fail: 'bool = true' },
    root: {
      flaky: { task: 'flaky', in: { should_fail: '$should_fail' }, settings: {} },
      always: {
        task: 'always',
        after: ['flaky'],
        in: { upstream: 'flaky.Output' },
        settings: { ignoreUpstreamFailure: true },
      },
    },
  },
  run: {
    // The failed task fails the run; the task that ignores it still runs, with its input's default.
    state: 'FAILED',
    tasks: { flaky: 'failed', always: 'succeeded' },
    logs: { always: 'upstream said: no result' },
  },
};
