import type { Expected } from '../structure';

export const expected: Expected = {
  kfp: 'pipeline_with_params_containing_format',
  pipeline: 'pipeline-with-pipelineparam-containing-format',
  params: ['name'],
  root: {
    'print-op': { task: 'print-op', in: { prefix: '"Hello "', text: '$name' } },
    'print-op-2': { task: 'print-op', after: ['print-op'], in: { suffix: '", again."', text: 'print-op.Output' } },
    'for-loop-1': {
      kfp: 'for-loop-2',
      loop: '["1","2"]',
      body: {
        'print-op2': {
          task: 'print-op2',
          in: { text1: 'item(for-loop-1)', text2: '$name', text2_prefix: '" and "', text2_suffix: '"."' },
        },
      },
    },
  },
  runtime: {
    state: 'SUCCEEDED',
    tasks: { 'print-op': 'succeeded', 'print-op-2': 'succeeded', 'print-op2': { succeeded: 2 } },
    outputs: {
      'print-op.Output': 'Hello KFP',
      'print-op-2.Output': 'Hello KFP, again.',
      'print-op2.Output': ['1 and KFP.', '2 and KFP.'],
    },
  },
};
