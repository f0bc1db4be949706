import type { Expectation } from '../expectation';

/** Loop items from a list parameter; iteratorPolicy.parallelismLimit is the loop's parallelism. */
export const expectation: Expectation = {
  feature: 'dsl.ParallelFor over a parameter, parallelism',
  translated: {
    pipeline: 'loop-parameter-parallelism',
    params: { shards: 'list = ["a","b","c","d"]' },
    root: {
      'for-loop-1': {
        loop: '$shards',
        parallelism: 2,
        body: { process: { task: 'process', in: { shard: 'item(for-loop-1)' } } },
      },
    },
  },
  run: {
    state: 'SUCCEEDED',
    tasks: { process: { succeeded: 4 } },
  },
};
