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
};
