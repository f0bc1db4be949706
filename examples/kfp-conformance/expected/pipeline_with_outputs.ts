import type { Expected } from '../structure';

export const expected: Expected = {
  kfp: 'pipeline_with_outputs',
  pipeline: 'pipeline-in-pipeline',
  params: ['msg'],
  root: {
    'print-op1': { task: 'print-op1', in: { msg: '$msg' } },
    'inner-pipeline': {
      task: 'inner-pipeline',
      in: { msg: '"world"' },
      sub: {
        'print-op1': { task: 'print-op1', in: { msg: '$msg' } },
        'print-op2': { task: 'print-op2', after: ['print-op1'], in: { msg: 'print-op1.Output' } },
      },
      subOutputs: { msg: 'print-op1.Output', data: 'print-op2.data' },
    },
  },
  outputs: { Output: 'inner-pipeline.data' },
  runtime: {
    state: 'SUCCEEDED',
    tasks: {
      'print-op1': 'succeeded',
      'inner-pipeline/print-op1': 'succeeded',
      'inner-pipeline/print-op2': 'succeeded',
    },
  },
};
