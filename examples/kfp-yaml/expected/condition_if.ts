import type { Expectation } from '../expectation';

/**
 * dsl.If(f.output == 'heads') is a condition group (KFP: condition-1 with trigger condition
 * `inputs.parameter_values['pipelinechannel--flip-Output'] == 'heads'`); the channel rename is
 * undone to flip's output. A task after flip stays outside the group.
 */
export const expectation: Expectation = {
  feature: 'dsl.If on an upstream output',
  translated: {
    pipeline: 'condition-if',
    params: { outcome: 'string = "heads"' },
    root: {
      flip: { task: 'flip', in: { outcome: '$outcome' } },
      'condition-1': {
        after: ['flip'],
        if: [{ when: 'flip.Output == "heads"', then: { say: { task: 'say', in: { text: '"it was heads"' } } } }],
      },
      'say-2': { task: 'say', after: ['flip'], in: { text: '"done"' } },
    },
  },
  run: {
    state: 'SUCCEEDED',
    // flip returns "heads", so the dsl.If body runs; "done" runs after flip either way.
    tasks: { flip: 'succeeded', say: 'succeeded', 'say-2': 'succeeded' },
    outputs: { 'flip.Output': 'heads' },
    executors: ['local', 'kubernetes'],
  },
};
