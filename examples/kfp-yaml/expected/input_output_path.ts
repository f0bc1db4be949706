import type { Expectation } from '../expectation';

/**
 * InputPath("Dataset") / OutputPath("Dataset") are Dataset artifacts, OutputPath(int) an int
 * output parameter: the function gets paths through executor_input.
 */
export const expectation: Expectation = {
  feature: 'InputPath / OutputPath in a Python component',
  translated: {
    pipeline: 'input-output-path',
    params: { count: 'int = 4' },
    root: {
      'write-numbers': { task: 'write-numbers', in: { count: '$count' } },
      total: { task: 'total', after: ['write-numbers'], in: { numbers: 'write-numbers.numbers' } },
    },
    outputs: { Output: 'total.result' },
    components: {
      'write-numbers': {
        type: 'container',
        kfpTypes: { inputs: { count: 'NUMBER_INTEGER' }, outputs: { numbers: 'system.Dataset@0.0.1' } },
      },
      total: {
        type: 'container',
        kfpTypes: { inputs: { numbers: 'system.Dataset@0.0.1' }, outputs: { result: 'NUMBER_INTEGER' } },
      },
    },
  },
  run: {
    state: 'SUCCEEDED',
    tasks: { 'write-numbers': 'succeeded', total: 'succeeded' },
    outputs: { 'total.result': 10, 'pipeline.Output': 10 },
    artifacts: { 'write-numbers.numbers': { text: '1\n2\n3\n4' } },
  },
};
