import type { Expectation } from '../expectation';

/**
 * KFP's artifactIterator: a loop over a list of artifacts (a sub-pipeline returns the Collected
 * Datasets), each iteration binding one artifact.
 */
export const expectation: Expectation = {
  feature: 'dsl.ParallelFor over a list of artifacts',
  translated: {
    pipeline: 'loop-over-artifacts',
    params: {},
    root: {
      'inner-makes': { task: 'inner-makes', in: {} },
      'for-loop-1': {
        after: ['inner-makes'],
        loop: 'inner-makes.Output',
        body: { size: { task: 'size', in: { data: 'item(for-loop-1)' } } },
      },
    },
    components: {
      'inner-makes': {
        type: 'dag',
        dag: {
          'for-loop-2': { loop: '[1,22,333]', body: { make: { task: 'make', in: { index: 'item(for-loop-2)' } } } },
        },
        outputs: { Output: 'collected(for-loop-2/make.data)' },
      },
    },
  },
  run: {
    state: 'SUCCEEDED',
    tasks: { 'inner-makes': 'succeeded', 'inner-makes/make': { succeeded: 3 }, size: { succeeded: 3 } },
  },
};
