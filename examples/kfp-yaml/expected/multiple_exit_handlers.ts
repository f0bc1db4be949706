import type { Expectation } from '../expectation';

/** Two exit handlers side by side; the second group uses prepare's output, so it waits for prepare. */
export const expectation: Expectation = {
  feature: 'two exit handlers in one pipeline',
  translated: {
    pipeline: 'multiple-exit-handlers',
    params: {},
    root: {
      prepare: { task: 'prepare', in: {} },
      'exit-handler-1': {
        exitHandler: { step: { task: 'step', in: { text: '"in the first group"' } } },
        exit: { cleanup: { task: 'cleanup', in: { which: '"first"', status: 'finalStatus' } } },
      },
      'exit-handler-2': {
        after: ['prepare'],
        exitHandler: { 'step-2': { task: 'step', in: { text: 'prepare.Output' } } },
        exit: { 'cleanup-2': { task: 'cleanup', in: { which: '"second"', status: 'finalStatus' } } },
      },
    },
    componentCount: 3,
  },
  run: {
    state: 'SUCCEEDED',
    tasks: {
      prepare: 'succeeded',
      step: 'succeeded',
      cleanup: 'succeeded',
      'step-2': 'succeeded',
      'cleanup-2': 'succeeded',
    },
    logs: { cleanup: 'first SUCCEEDED', 'cleanup-2': 'second SUCCEEDED', 'step-2': 'prepared' },
  },
};
