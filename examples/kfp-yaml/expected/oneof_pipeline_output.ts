import type { Expectation } from '../expectation';

/** A pipeline returning dsl.OneOf: the pipeline output is the oneOf over the If/Else branches. */
export const expectation: Expectation = {
  feature: 'dsl.OneOf as the pipeline output',
  translated: {
    pipeline: 'oneof-pipeline-output',
    params: { flag: 'bool = true' },
    root: {
      pick: { task: 'pick', in: { flag: '$flag' } },
      'condition-branches-1': {
        after: ['pick'],
        if: [
          { when: 'pick.Output == true', then: { say: { task: 'say', in: { text: '"yes"' } } } },
          { then: { 'say-2': { task: 'say', in: { text: '"no"' } } } },
        ],
      },
    },
    outputs: { Output: 'oneOf(condition-branches-1: say.Output | say-2.Output)' },
  },
  run: {
    state: 'SUCCEEDED',
    tasks: { pick: 'succeeded', say: 'succeeded', 'say-2': 'skipped' },
    outputs: { 'pipeline.Output': 'yes' },
  },
};
