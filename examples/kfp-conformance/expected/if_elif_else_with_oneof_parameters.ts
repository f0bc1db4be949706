import type { Expected } from '../structure';

export const expected: Expected = {
  kfp: 'if_elif_else_with_oneof_parameters',
  pipeline: 'outer-pipeline',
  params: [],
  root: {
    'roll-die-pipeline': {
      task: 'roll-die-pipeline',
      sub: {
        'flip-three-sided-die': { task: 'flip-three-sided-die' },
        'condition-1': {
          kfp: 'condition-branches-1 (condition-2, -3, -4)',
          after: ['flip-three-sided-die'],
          branches: [
            {
              when: 'flip-three-sided-die.Output == "heads"',
              dag: { 'print-and-return': { task: 'print-and-return', in: { text: '"Got heads!"' } } },
            },
            {
              when: 'flip-three-sided-die.Output == "tails"',
              dag: { 'print-and-return-2': { task: 'print-and-return', in: { text: '"Got tails!"' } } },
            },
            { dag: { 'special-print-and-return': { task: 'special-print-and-return', in: { text: '"Draw!"' } } } },
          ],
        },
      },
      subOutputs: {
        Output:
          'oneOf(condition-1: print-and-return.Output | print-and-return-2.Output | special-print-and-return.output_key)',
      },
    },
    'print-and-return': {
      task: 'print-and-return',
      after: ['roll-die-pipeline'],
      in: { text: 'roll-die-pipeline.Output' },
    },
  },
  outputs: { Output: 'print-and-return.Output' },
  runtime: {
    state: 'SUCCEEDED',
    tasks: {
      'roll-die-pipeline/flip-three-sided-die': 'succeeded',
      'roll-die-pipeline/print-and-return': 'succeeded',
      'roll-die-pipeline/print-and-return-2': 'skipped',
      'roll-die-pipeline/special-print-and-return': 'skipped',
      'print-and-return': 'succeeded',
    },
    outputs: { 'pipeline.Output': 'Got heads!' },
  },
};
