import type { Expected } from '../structure';

export const expected: Expected = {
  kfp: 'if_else_with_oneof_parameters',
  pipeline: 'flip-coin-pipeline',
  params: [],
  root: {
    'flip-coin': { task: 'flip-coin' },
    'condition-1': {
      kfp: 'condition-branches-1 (condition-2, condition-3)',
      after: ['flip-coin'],
      branches: [
        {
          when: 'flip-coin.Output == "heads"',
          dag: { 'print-and-return': { task: 'print-and-return', in: { text: '"Got heads!"' } } },
        },
        { dag: { 'print-and-return-2': { task: 'print-and-return', in: { text: '"Got tails!"' } } } },
      ],
    },
    'print-and-return-3': {
      task: 'print-and-return',
      after: ['condition-1'],
      in: { text: 'oneOf(condition-1: print-and-return.Output | print-and-return-2.Output)' },
    },
  },
  outputs: { Output: 'oneOf(condition-1: print-and-return.Output | print-and-return-2.Output)' },
  runtime: {
    state: 'SUCCEEDED',
    tasks: {
      'flip-coin': 'succeeded',
      'print-and-return': 'succeeded',
      'print-and-return-2': 'skipped',
      'print-and-return-3': 'succeeded',
    },
    outputs: { 'print-and-return-3.Output': 'Got heads!', 'pipeline.Output': 'Got heads!' },
  },
};
