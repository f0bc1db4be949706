import type { Expectation } from '../expectation';

/** dsl.OneOf of two Dataset outputs (KFP: a DAG output with two artifactSelectors) is a Kiln oneOf. */
export const expectation: Expectation = {
  feature: 'dsl.OneOf of artifacts across If/Else',
  translated: {
    pipeline: 'oneof-artifacts',
    params: { mode: 'string = "full"' },
    root: {
      choose: { task: 'choose', in: { mode: '$mode' } },
      'condition-branches-1': {
        after: ['choose'],
        if: [
          { when: 'choose.Output == "full"', then: { write: { task: 'write', in: { text: '"all rows"' } } } },
          { then: { 'write-2': { task: 'write', in: { text: '"a sample"' } } } },
        ],
      },
      read: {
        task: 'read',
        after: ['condition-branches-1'],
        in: { data: 'oneOf(condition-branches-1: write.data | write-2.data)' },
      },
    },
    outputs: { Output: 'read.Output' },
  },
  run: {
    state: 'SUCCEEDED',
    tasks: { choose: 'succeeded', write: 'succeeded', 'write-2': 'skipped', read: 'succeeded' },
    outputs: { 'pipeline.Output': 'all rows' },
  },
};
