import type { Expected } from '../structure';

export const expected: Expected = {
  kfp: 'pipeline_with_multiple_exit_handlers',
  pipeline: 'pipeline-with-multiple-exit-handlers',
  params: ['message'],
  root: {
    'exit-handler-1': {
      exitHandler: {
        body: { 'print-op': { task: 'print-op', in: { message: '$message' } }, 'fail-op': { task: 'fail-op' } },
        exit: {
          'print-op-2': { kfp: 'print-op', task: 'print-op', in: { message: '"First exit handler has worked!"' } },
        },
      },
    },
    'exit-handler-2': {
      exitHandler: {
        body: { 'print-op-3': { task: 'print-op', in: { message: '$message' } } },
        exit: {
          'print-op-4': { kfp: 'print-op-3', task: 'print-op', in: { message: '"Second exit handler has worked!"' } },
        },
      },
    },
    'exit-handler-3': {
      exitHandler: {
        body: { 'print-op-5': { task: 'print-op', in: { message: '$message' } } },
        exit: {
          'print-op-6': { kfp: 'print-op-5', task: 'print-op', in: { message: '"Third exit handler has worked!"' } },
        },
      },
    },
  },
  runtime: {
    state: 'FAILED',
    tasks: {
      'print-op': 'succeeded',
      'fail-op': 'failed',
      'print-op-2': 'succeeded',
      'print-op-3': 'succeeded',
      'print-op-4': 'succeeded',
      'print-op-5': 'succeeded',
      'print-op-6': 'succeeded',
    },
    exitSees: [
      { task: 'print-op-2', state: 'FAILED', failedTasks: ['fail-op'] },
      { task: 'print-op-4', state: 'SUCCEEDED' },
      { task: 'print-op-6', state: 'SUCCEEDED' },
    ],
  },
};
