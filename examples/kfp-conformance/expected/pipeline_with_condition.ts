import type { Expected } from '../structure';

export const expected: Expected = {
  kfp: 'pipeline_with_condition',
  pipeline: 'single-condition-pipeline',
  params: ['text'],
  root: {
    'flip-coin-op': { task: 'flip-coin-op', settings: { caching: { enabled: false } } },
    'print-op': { task: 'print-op', after: ['flip-coin-op'], in: { msg: 'flip-coin-op.Output' } },
    'condition-1': {
      after: ['flip-coin-op'],
      branches: [
        {
          when: 'flip-coin-op.Output == "heads"',
          dag: {
            'flip-coin-op-2': { task: 'flip-coin-op', settings: { caching: { enabled: false } } },
            'print-op-2': { task: 'print-op', after: ['flip-coin-op-2'], in: { msg: 'flip-coin-op-2.Output' } },
            'print-op-3': { task: 'print-op', in: { msg: '$text' } },
          },
        },
      ],
    },
  },
  runtime: {
    state: 'SUCCEEDED',
    tasks: {
      'flip-coin-op': 'succeeded',
      'print-op': 'succeeded',
      'flip-coin-op-2': 'succeeded',
      'print-op-2': 'succeeded',
      'print-op-3': 'succeeded',
    },
    logs: { 'print-op-3': ['condition test'] },
    note: "flip-coin-op returns 'heads' by default, so condition-1 runs; with outcome 'tails' its three tasks are skipped and the run still succeeds.",
  },
};
