import type { Expectation } from '../expectation';

/** dsl.Collected (KFP: the loop DAG's LIST output) is a collected fan-in, for a task and for the pipeline. */
export const expectation: Expectation = {
  feature: 'dsl.Collected of parameters, as a task input and a pipeline output',
  translated: {
    pipeline: 'loop-collected-parameters',
    params: { xs: 'list = [1,2,3]' },
    root: {
      'for-loop-1': { loop: '$xs', body: { double: { task: 'double', in: { x: 'item(for-loop-1)' } } } },
      'add-all': { task: 'add-all', after: ['for-loop-1'], in: { xs: 'collected(for-loop-1/double.Output)' } },
    },
    outputs: { Output: 'collected(for-loop-1/double.Output)' },
  },
  run: {
    state: 'SUCCEEDED',
    tasks: { double: { succeeded: 3 }, 'add-all': 'succeeded' },
    outputs: { 'add-all.Output': 12, 'pipeline.Output': [2, 4, 6] },
  },
};
