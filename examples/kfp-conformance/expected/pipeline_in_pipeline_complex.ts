import type { Expected } from '../structure';

export const expected: Expected = {
  kfp: 'pipeline_in_pipeline_complex',
  pipeline: 'pipeline-in-pipeline-complex',
  params: ['msg'],
  root: {
    'print-op1': { task: 'print-op1', in: { msg: '$msg' } },
    'for-loop-1': {
      kfp: 'for-loop-2',
      loop: '["Hello","world!"]',
      body: {
        'inner-pipeline': {
          task: 'inner-pipeline',
          in: { msg: 'item(for-loop-1)' },
          sub: {
            'print-op1': { task: 'print-op1', in: { msg: '$msg' } },
            'condition-1': {
              after: ['print-op1'],
              branches: [
                {
                  when: 'print-op1.Output == "Hello"',
                  dag: { 'print-op2': { task: 'print-op2', in: { msg: '"world"' } } },
                },
              ],
            },
            'condition-2': {
              after: ['print-op1'],
              branches: [
                {
                  when: 'print-op1.Output != "Hello"',
                  dag: { 'print-op3': { task: 'print-op3', in: { msg: '"Bye!"' } } },
                },
              ],
            },
          },
        },
      },
    },
  },
  runtime: {
    state: 'SUCCEEDED',
    tasks: {
      'print-op1': 'succeeded',
      'inner-pipeline/print-op1': { succeeded: 2 },
      'inner-pipeline/print-op2': { succeeded: 1, skipped: 1 },
      'inner-pipeline/print-op3': { succeeded: 1, skipped: 1 },
    },
    note: "Iteration 'Hello' prints 'world'; iteration 'world!' prints 'Bye!'.",
  },
};
