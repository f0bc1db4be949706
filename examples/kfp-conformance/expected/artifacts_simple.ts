import type { Expected } from '../structure';

export const expected: Expected = {
  kfp: 'parallelfor_fan_in/artifacts_simple',
  pipeline: 'math-pipeline',
  params: [],
  root: {
    'for-loop-1': {
      kfp: 'for-loop-2',
      loop: '[1,2,3]',
      body: { double: { task: 'double', in: { num: 'item(for-loop-1)' } } },
    },
    add: { task: 'add', after: ['for-loop-1'], in: { in_datasets: 'collected(for-loop-1/double.out_dataset)' } },
    'add-container': {
      task: 'add-container',
      after: ['for-loop-1'],
      in: { in_datasets: 'collected(for-loop-1/double.out_dataset)' },
    },
  },
  outputs: { Output: 'collected(for-loop-1/double.out_dataset)' },
  runtime: {
    state: 'SUCCEEDED',
    tasks: { double: { succeeded: 3 }, add: 'succeeded', 'add-container': 'succeeded' },
    note: "add's and add-container's out_dataset contain 12; the pipeline output is 3 datasets (2, 4, 6 in item order).",
  },
};
