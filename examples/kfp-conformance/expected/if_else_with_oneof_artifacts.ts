import type { Expected } from '../structure';

export const expected: Expected = {
  kfp: 'if_else_with_oneof_artifacts',
  pipeline: 'outer-pipeline',
  params: [],
  root: {
    'flip-coin-pipeline': {
      task: 'flip-coin-pipeline',
      sub: {
        'flip-coin': { task: 'flip-coin' },
        'condition-1': {
          kfp: 'condition-branches-1 (condition-2, condition-3)',
          after: ['flip-coin'],
          branches: [
            {
              when: 'flip-coin.Output == "heads"',
              dag: { 'param-to-artifact': { task: 'param-to-artifact', in: { val: 'flip-coin.Output' } } },
            },
            { dag: { 'param-to-artifact-2': { task: 'param-to-artifact', in: { val: 'flip-coin.Output' } } } },
          ],
        },
        'print-artifact': {
          task: 'print-artifact',
          after: ['condition-1'],
          in: { a: 'oneOf(condition-1: param-to-artifact.a | param-to-artifact-2.a)' },
        },
      },
      subOutputs: { Output: 'oneOf(condition-1: param-to-artifact.a | param-to-artifact-2.a)' },
    },
    'print-artifact': { task: 'print-artifact', after: ['flip-coin-pipeline'], in: { a: 'flip-coin-pipeline.Output' } },
  },
  runtime: {
    state: 'SUCCEEDED',
    tasks: {
      'flip-coin-pipeline/flip-coin': 'succeeded',
      'flip-coin-pipeline/param-to-artifact': 'succeeded',
      'flip-coin-pipeline/param-to-artifact-2': 'skipped',
      'flip-coin-pipeline/print-artifact': 'succeeded',
      'print-artifact': 'succeeded',
    },
    logs: { 'print-artifact': ['heads'] },
  },
};
