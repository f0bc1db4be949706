import type { Expected } from '../structure';

export const expected: Expected = {
  kfp: 'pipeline_with_task_final_status',
  pipeline: 'pipeline-with-task-final-status',
  params: ['message'],
  root: {
    'my-pipeline': {
      kfp: 'exit-handler-1 (display name my-pipeline)',
      exitHandler: {
        body: {
          'print-op': { task: 'print-op', in: { message: '$message' } },
          'fail-op': { task: 'fail-op', in: { message: '"Task failed."' } },
        },
        exit: { 'exit-op': { task: 'exit-op', in: { status: 'finalStatus', user_input: '$message' } } },
      },
    },
  },
  runtime: {
    state: 'FAILED',
    tasks: { 'print-op': 'succeeded', 'fail-op': 'failed', 'exit-op': 'succeeded' },
    exitSees: [{ task: 'exit-op', state: 'FAILED', failedTasks: ['fail-op'] }],
    logs: { 'exit-op': ['pipeline status: FAILED'] },
  },
};
