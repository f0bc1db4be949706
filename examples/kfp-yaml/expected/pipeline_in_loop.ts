import type { Expectation } from '../expectation';

/** A sub-pipeline task in a loop body, its output collected after the loop. */
export const expectation: Expectation = {
  feature: 'a pipeline as a component inside a loop, collected',
  translated: {
    pipeline: 'pipeline-in-loop',
    params: { xs: 'list = [1,2,3]' },
    root: {
      'for-loop-1': { loop: '$xs', body: { 'square-it': { task: 'square-it', in: { x: 'item(for-loop-1)' } } } },
      total: { task: 'total', after: ['for-loop-1'], in: { xs: 'collected(for-loop-1/square-it.Output)' } },
    },
    outputs: { Output: 'total.Output' },
    components: {
      'square-it': {
        type: 'dag',
        dag: { square: { task: 'square', in: { x: '$x' } } },
        outputs: { Output: 'square.Output' },
      },
    },
  },
  run: {
    state: 'SUCCEEDED',
    tasks: { 'square-it': { succeeded: 3 }, 'square-it/square': { succeeded: 3 }, total: 'succeeded' },
    outputs: { 'pipeline.Output': 14 },
  },
};
