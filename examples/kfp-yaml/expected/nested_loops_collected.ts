import type { Expectation } from '../expectation';

/**
 * Collected inside the outer loop gathers the inner iterations; collected from outside both loops
 * names the outermost loop and the inner task (one list per outer iteration, as Kiln defines it).
 */
export const expectation: Expectation = {
  feature: 'dsl.Collected across nested loops',
  translated: {
    pipeline: 'nested-loops-collected',
    params: {},
    root: {
      'for-loop-2': {
        loop: '[1,2,3]',
        body: {
          'for-loop-4': {
            loop: '[10,20]',
            body: { times: { task: 'times', in: { a: 'item(for-loop-2)', b: 'item(for-loop-4)' } } },
          },
          'row-sum': { task: 'row-sum', after: ['for-loop-4'], in: { xs: 'collected(for-loop-4/times.Output)' } },
        },
      },
      'grand-total': { task: 'grand-total', after: ['for-loop-2'], in: { xs: 'collected(for-loop-2/row-sum.Output)' } },
      show: { task: 'show', after: ['for-loop-2'], in: { xs: 'collected(for-loop-2/times.Output)' } },
    },
  },
  run: {
    state: 'SUCCEEDED',
    tasks: { times: { succeeded: 6 }, 'row-sum': { succeeded: 3 }, 'grand-total': 'succeeded', show: 'succeeded' },
    // (10 + 20) * (1 + 2 + 3); the inner values collected from outside both loops, one list per outer item.
    outputs: { 'grand-total.Output': 180, 'show.Output': '[[10, 20], [20, 40], [30, 60]]' },
  },
};
