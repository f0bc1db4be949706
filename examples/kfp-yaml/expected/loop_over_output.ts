import type { Expectation } from '../expectation';

/** Loop items from an upstream output: the loop waits for that task. */
export const expectation: Expectation = {
  feature: 'dsl.ParallelFor over an upstream output',
  translated: {
    pipeline: 'loop-over-output',
    params: { count: 'int = 3' },
    root: {
      'make-batches': { task: 'make-batches', in: { count: '$count' } },
      'for-loop-1': {
        after: ['make-batches'],
        loop: 'make-batches.Output',
        body: { handle: { task: 'handle', in: { batch: 'item(for-loop-1)' } } },
      },
    },
  },
  run: {
    state: 'SUCCEEDED',
    tasks: { 'make-batches': 'succeeded', handle: { succeeded: 3 } },
    outputs: { 'make-batches.Output': [0, 1, 2] },
  },
};
