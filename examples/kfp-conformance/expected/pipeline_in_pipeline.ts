import type { Expected } from '../structure';

export const expected: Expected = {
  kfp: 'pipeline_in_pipeline',
  pipeline: 'pipeline-in-pipeline',
  params: [],
  root: {
    'print-op1': { task: 'print-op1', in: { msg: '"Hello"' } },
    'inner-pipeline': {
      task: 'inner-pipeline',
      in: { msg: '"world"' },
      sub: {
        'print-op1': { task: 'print-op1', in: { msg: '$msg' } },
        'print-op2': { task: 'print-op2', after: ['print-op1'], in: { msg: 'print-op1.Output' } },
      },
    },
  },
  runtime: {
    state: 'SUCCEEDED',
    tasks: {
      'print-op1': 'succeeded',
      'inner-pipeline/print-op1': 'succeeded',
      'inner-pipeline/print-op2': 'succeeded',
    },
    logs: { 'inner-pipeline/print-op2': ['world'] },
  },
};
