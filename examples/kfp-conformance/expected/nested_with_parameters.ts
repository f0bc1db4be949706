import type { Expected } from '../structure';

export const expected: Expected = {
  kfp: 'parallelfor_fan_in/nested_with_parameters',
  pipeline: 'math-pipeline',
  params: [],
  root: {
    'for-loop-1': {
      kfp: 'for-loop-2',
      loop: '[1,2,3]',
      body: {
        'for-loop-2': {
          kfp: 'for-loop-4',
          loop: '[1,2,3]',
          body: {
            double: { task: 'double', in: { num: 'item(for-loop-1)' } },
            'double-2': { task: 'double', in: { num: 'item(for-loop-2)' } },
            'add-two-nums': {
              task: 'add-two-nums',
              after: ['double', 'double-2'],
              in: { x: 'double.Output', y: 'double-2.Output' },
            },
          },
        },
        // Kiln only: KFP's inner loop group LIST output, as a pass-through task.
        'collect-row': {
          task: 'collect-row',
          after: ['for-loop-2'],
          in: { values: 'collected(for-loop-2/add-two-nums.Output)' },
        },
      },
    },
    add: { task: 'add', after: ['for-loop-1'], in: { nums: 'collected(for-loop-1/collect-row.Output)' } },
  },
  outputs: { Output: 'collected(for-loop-1/collect-row.Output)' },
  runtime: {
    state: 'SUCCEEDED',
    tasks: {
      double: { succeeded: 9 },
      'double-2': { succeeded: 9 },
      'add-two-nums': { succeeded: 9 },
      'collect-row': { succeeded: 3 },
      add: 'succeeded',
    },
    outputs: {
      'add.Output': 72,
      'pipeline.Output': [
        [4, 6, 8],
        [6, 8, 10],
        [8, 10, 12],
      ],
    },
  },
};
