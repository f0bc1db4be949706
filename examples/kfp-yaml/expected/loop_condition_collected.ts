import type { Expectation } from '../expectation';

/** A condition on the loop item inside the body; collected over a task inside that condition. */
export const expectation: Expectation = {
  feature: 'condition inside a loop, dsl.Collected of a conditional task',
  translated: {
    pipeline: 'loop-condition-collected',
    params: { values: 'list = [1,5,2,8]' },
    root: {
      'for-loop-1': {
        loop: '$values',
        body: {
          'condition-2': {
            if: [{ when: 'item(for-loop-1) > 3', then: { keep: { task: 'keep', in: { x: 'item(for-loop-1)' } } } }],
          },
        },
      },
      show: { task: 'show', after: ['for-loop-1'], in: { xs: 'collected(for-loop-1/keep.Output)' } },
    },
    outputs: { Output: 'show.Output' },
  },
  run: {
    state: 'SUCCEEDED',
    // values [1, 5, 2, 8]: keep runs where v > 3; the collected list holds what ran, in item order.
    tasks: { keep: { succeeded: 2, skipped: 2 }, show: 'succeeded' },
    outputs: { 'pipeline.Output': '[5, 8]' },
  },
};
