import type { Expected } from '../structure';

export const expected: Expected = {
  kfp: 'parallelfor_fan_in/conditional_producer_and_consumers',
  pipeline: 'math-pipeline',
  params: ['threshold'],
  root: {
    'for-loop-1': {
      kfp: 'for-loop-2',
      loop: '[1,2,3]',
      body: {
        'condition-1': {
          kfp: 'condition-3',
          branches: [
            {
              when: 'item(for-loop-1) >= $threshold',
              dag: { double: { task: 'double', in: { num: 'item(for-loop-1)' } } },
            },
          ],
        },
      },
    },
    'condition-2': {
      kfp: 'condition-4',
      after: ['for-loop-1'],
      branches: [
        { when: '$threshold == 2', dag: { add: { task: 'add', in: { nums: 'collected(for-loop-1/double.Output)' } } } },
      ],
    },
  },
  runtime: {
    state: 'SUCCEEDED',
    tasks: { double: { skipped: 1, succeeded: 2 }, add: 'succeeded' },
    outputs: { 'add.Output': 10 },
    note: 'x=1 is below the threshold, so double is skipped there and the collected list is [4, 6].',
  },
};
