import type { Expected } from '../structure';

export const expected: Expected = {
  kfp: 'parallelfor_fan_in/parameters_complex',
  pipeline: 'math-pipeline',
  params: [],
  root: {
    'for-loop-1': {
      kfp: 'for-loop-2',
      loop: '[1,2,3]',
      body: {
        double: { task: 'double', in: { num: 'item(for-loop-1)' } },
        'for-loop-2': {
          kfp: 'for-loop-4',
          loop: '[4,5,6]',
          body: { 'double-2': { task: 'double', in: { num: 'item(for-loop-2)' } } },
        },
        'simple-add': {
          task: 'simple-add',
          after: ['for-loop-2'],
          in: { nums: 'collected(for-loop-2/double-2.Output)' },
        },
        // Kiln only: the two-level fan-in goes through a pass-through task.
        'collect-row': {
          task: 'collect-row',
          after: ['for-loop-2'],
          in: { values: 'collected(for-loop-2/double-2.Output)' },
        },
      },
    },
    'nested-add': {
      task: 'nested-add',
      after: ['for-loop-1'],
      in: { nums: 'collected(for-loop-1/collect-row.Output)' },
    },
    'for-loop-3': {
      kfp: 'for-loop-6',
      loop: '[0,0,0]',
      after: ['for-loop-1'],
      body: {
        'simple-add-2': { task: 'simple-add', in: { nums: 'collected(for-loop-1/double.Output)' } },
        'nested-add-2': { task: 'nested-add', in: { nums: 'collected(for-loop-1/collect-row.Output)' } },
      },
    },
    'add-two-numbers': {
      task: 'add-two-numbers',
      after: ['for-loop-3'],
      in: { x: 'collected(for-loop-3/simple-add-2.Output)', y: 'collected(for-loop-3/nested-add-2.Output)' },
    },
  },
  outputs: { Output: 'add-two-numbers.Output' },
  runtime: {
    state: 'SUCCEEDED',
    tasks: {
      double: { succeeded: 3 },
      'double-2': { succeeded: 9 },
      'simple-add': { succeeded: 3 },
      'collect-row': { succeeded: 3 },
      'nested-add': 'succeeded',
      'simple-add-2': { succeeded: 3 },
      'nested-add-2': { succeeded: 3 },
      'add-two-numbers': 'succeeded',
    },
    outputs: { 'simple-add.Output': [30, 30, 30], 'nested-add.Output': 90, 'pipeline.Output': 306 },
  },
};
