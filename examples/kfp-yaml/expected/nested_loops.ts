import type { Expectation } from '../expectation';

/** A loop inside a loop; the inner body sees both items. */
export const expectation: Expectation = {
  feature: 'nested dsl.ParallelFor',
  translated: {
    pipeline: 'nested-loops',
    params: { numbers: 'list = [1,2]' },
    root: {
      'for-loop-2': {
        loop: '["x","y"]',
        body: {
          'for-loop-3': {
            loop: '$numbers',
            body: { pair: { task: 'pair', in: { a: 'item(for-loop-2)', b: 'item(for-loop-3)' } } },
          },
        },
      },
    },
  },
  run: {
    state: 'SUCCEEDED',
    tasks: { pair: { succeeded: 4 } },
  },
};
