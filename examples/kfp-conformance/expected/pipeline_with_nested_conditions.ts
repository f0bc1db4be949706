import type { Expected } from '../structure';

export const expected: Expected = {
  kfp: 'pipeline_with_nested_conditions',
  pipeline: 'nested-conditions-pipeline',
  params: [],
  root: {
    'flip-coin-op': { task: 'flip-coin-op' },
    'flip-coin-op-2': { task: 'flip-coin-op', in: { outcome: '"tails"' } },
    'print-op': { task: 'print-op', after: ['flip-coin-op'] },
    'print-op-2': { task: 'print-op', after: ['flip-coin-op-2'] },
    'condition-1': {
      // flip-coin-op-2 feeds the nested condition: the dependency is hoisted to the outer group.
      after: ['flip-coin-op', 'flip-coin-op-2'],
      branches: [
        {
          when: 'flip-coin-op.Output != "no-such-result"',
          dag: {
            'flip-coin-op-3': { task: 'flip-coin-op', in: { outcome: '"tails"' } },
            'print-op-3': { task: 'print-op', after: ['flip-coin-op-3'] },
            'condition-2': {
              after: ['flip-coin-op-3'],
              branches: [
                {
                  when: 'flip-coin-op-2.Output == flip-coin-op-3.Output',
                  dag: {
                    'flip-coin-op-4': { task: 'flip-coin-op' },
                    'print-op-4': { task: 'print-op', after: ['flip-coin-op-4'] },
                  },
                },
              ],
            },
          },
        },
      ],
    },
  },
  runtime: {
    state: 'SUCCEEDED',
    tasks: {
      'flip-coin-op': 'succeeded',
      'flip-coin-op-2': 'succeeded',
      'print-op': 'succeeded',
      'print-op-2': 'succeeded',
      'flip-coin-op-3': 'succeeded',
      'print-op-3': 'succeeded',
      'flip-coin-op-4': 'succeeded',
      'print-op-4': 'succeeded',
    },
    note: 'flips are fixed: heads, tails, tails, heads; the inner condition (tails == tails) holds.',
  },
};
