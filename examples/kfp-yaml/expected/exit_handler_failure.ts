import type { Expectation } from '../expectation';

/** The same structure when the guarded task fails; what the exit task sees is for the run stage. */
export const expectation: Expectation = {
  feature: 'exit handler around a failing task',
  translated: {
    pipeline: 'exit-handler-failure',
    params: {},
    root: {
      'exit-handler-1': {
        exitHandler: {
          fail: { task: 'fail', in: { message: '"boom"' } },
          never: { task: 'never', after: ['fail'], in: { text: '"skipped"' } },
        },
        exit: { report: { task: 'report', in: { status: 'finalStatus' } } },
      },
    },
  },
  run: {
    state: 'FAILED',
    tasks: { fail: 'failed', never: 'skipped', report: 'succeeded' },
    outputs: { 'report.Output': 'FAILED' },
    logs: { fail: 'boom' },
  },
};
