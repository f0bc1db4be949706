import type { Expectation } from '../expectation';

/** dsl.Collected of an artifact output is a fan-in into an artifact-list input (isArtifactList). */
export const expectation: Expectation = {
  feature: 'dsl.Collected of artifacts into Input[List[Dataset]]',
  translated: {
    pipeline: 'loop-collected-artifacts',
    params: {},
    root: {
      'for-loop-2': {
        loop: '[0,1,2]',
        body: { 'make-part': { task: 'make-part', in: { index: 'item(for-loop-2)' } } },
      },
      merge: { task: 'merge', after: ['for-loop-2'], in: { parts: 'collected(for-loop-2/make-part.part)' } },
    },
    outputs: { Output: 'merge.Output' },
    components: {
      merge: {
        type: 'container',
        kfpTypes: { inputs: { parts: 'system.Dataset@0.0.1[]' }, outputs: { Output: 'STRING' } },
      },
    },
  },
  run: {
    state: 'SUCCEEDED',
    tasks: { 'make-part': { succeeded: 3 }, merge: 'succeeded' },
    outputs: { 'pipeline.Output': 'part 0|part 1|part 2' },
    executors: ['local', 'kubernetes'],
  },
};
