import type { Expected } from '../structure';

export const expected: Expected = {
  kfp: 'pipeline_with_exit_handler',
  pipeline: 'pipeline-with-exit-handler',
  params: ['message'],
  root: {
    'exit-handler-1': {
      exitHandler: {
        body: {
          'print-op': { kfp: 'print-op-2', task: 'print-op', in: { message: '$message' } },
          'fail-op': { task: 'fail-op', in: { message: '"Task failed."' } },
        },
        // KFP: the exit task `print-op` is a sibling after exit-handler-1 (ALL_UPSTREAM_TASKS_COMPLETED).
        exit: { 'print-op-2': { kfp: 'print-op', task: 'print-op', in: { message: '"Exit handler has worked!"' } } },
      },
    },
  },
  runtime: {
    state: 'FAILED',
    tasks: { 'print-op': 'succeeded', 'fail-op': 'failed', 'print-op-2': 'succeeded' },
    exitSees: [{ task: 'print-op-2', state: 'FAILED', failedTasks: ['fail-op'] }],
  },
};
