import type { Expected } from '../structure';

export const expected: Expected = {
  kfp: 'pipeline_as_exit_task',
  pipeline: 'pipeline-with-task-final-status-conditional',
  params: ['message'],
  root: {
    'my-pipeline': {
      kfp: 'exit-handler-1',
      exitHandler: {
        body: { 'print-op': { task: 'print-op', in: { message: '$message' } }, 'fail-op': { task: 'fail-op' } },
        exit: {
          'conditional-notification': {
            task: 'conditional-notification',
            in: { status: 'finalStatus' },
            sub: {
              'get-run-state': { task: 'get-run-state', in: { status: '$status' } },
              'condition-1': {
                after: ['get-run-state'],
                branches: [
                  {
                    when: 'get-run-state.Output == "FAILED"',
                    dag: { 'print-op': { task: 'print-op', in: { message: '"notify task failure."' } } },
                  },
                ],
              },
            },
          },
        },
      },
    },
  },
  runtime: {
    state: 'FAILED',
    tasks: {
      'print-op': 'succeeded',
      'fail-op': 'failed',
      'conditional-notification/get-run-state': 'succeeded',
      'conditional-notification/print-op': 'succeeded',
    },
    outputs: { 'conditional-notification/get-run-state.Output': 'FAILED' },
  },
};
