import type { Expectation } from '../expectation';

/** KFP's parameterIterator with raw items '[1, 2, 3]' is a loop over that constant list. */
export const expectation: Expectation = {
  feature: 'dsl.ParallelFor over a literal list',
  translated: {
    pipeline: 'loop-literal',
    params: {},
    root: { 'for-loop-2': { loop: '[1,2,3]', body: { square: { task: 'square', in: { x: 'item(for-loop-2)' } } } } },
  },
  run: {
    state: 'SUCCEEDED',
    tasks: { square: { succeeded: 3 } },
  },
};
