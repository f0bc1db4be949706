import type { Expected } from '../structure';

export const expected: Expected = {
  kfp: 'pipeline_with_loops',
  pipeline: 'pipeline-with-loops',
  params: ['loop_parameter'],
  root: {
    'for-loop-1': {
      kfp: 'for-loop-2',
      loop: '$loop_parameter',
      body: { 'print-text': { task: 'print-text', in: { msg: 'item(for-loop-1)' } } },
    },
    'args-generator-op': { task: 'args-generator-op' },
    'for-loop-2': {
      kfp: 'for-loop-4',
      loop: 'args-generator-op.Output',
      after: ['args-generator-op'],
      body: {
        'print-struct': { task: 'print-struct', in: { struct: 'item(for-loop-2)' } },
        'print-text-2': { task: 'print-text', in: { msg: 'item(for-loop-2).A_a' } },
        'print-text-3': { task: 'print-text', in: { msg: 'item(for-loop-2).B_b' } },
      },
    },
    'for-loop-3': {
      kfp: 'for-loop-6',
      loop: '[{"A_a":"1","B_b":"2"},{"A_a":"10","B_b":"20"}]',
      body: {
        'print-struct-2': { task: 'print-struct', in: { struct: 'item(for-loop-3)' } },
        'print-text-4': { task: 'print-text', in: { msg: 'item(for-loop-3).A_a' } },
        'print-text-5': { task: 'print-text', in: { msg: 'item(for-loop-3).B_b' } },
      },
    },
  },
  runtime: {
    params: { loop_parameter: ['a', 'b'] },
    state: 'SUCCEEDED',
    tasks: {
      'print-text': { succeeded: 2 },
      'args-generator-op': 'succeeded',
      'print-struct': { succeeded: 2 },
      'print-text-2': { succeeded: 2 },
      'print-text-3': { succeeded: 2 },
      'print-struct-2': { succeeded: 2 },
      'print-text-4': { succeeded: 2 },
      'print-text-5': { succeeded: 2 },
    },
    note: '14 task executions, as in KFP.',
  },
};
