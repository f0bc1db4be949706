import type { Expected } from '../structure';

export const expected: Expected = {
  kfp: 'parallelfor_fan_in/parameters_simple',
  pipeline: 'math-pipeline',
  params: [],
  root: {
    'for-loop-1': {
      kfp: 'for-loop-2',
      loop: '[1,2,3]',
      body: { double: { task: 'double', in: { num: 'item(for-loop-1)' } } },
    },
    add: { task: 'add', after: ['for-loop-1'], in: { nums: 'collected(for-loop-1/double.Output)' } },
    'add-container': {
      task: 'add-container',
      after: ['for-loop-1'],
      in: { nums: 'collected(for-loop-1/double.Output)' },
    },
  },
  outputs: { Output: 'collected(for-loop-1/double.Output)' },
  runtime: {
    state: 'SUCCEEDED',
    tasks: { double: { succeeded: 3 }, add: 'succeeded', 'add-container': 'succeeded' },
    outputs: { 'add.Output': 12, 'add-container.sum': 12, 'pipeline.Output': [2, 4, 6] },
  },
};
