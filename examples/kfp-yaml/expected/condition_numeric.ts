import type { Expectation } from '../expectation';

const say = (id: string, text: string) => ({ [id]: { task: 'say', in: { text: `"${text}"` } } });

/**
 * KFP wraps integer operands in int(...) and, when an int meets a float, in double(...); Kiln
 * compares ints and floats as numbers, so the casts go and the comparisons stay.
 */
export const expectation: Expectation = {
  feature: 'numeric conditions (int, float, mixed; KFP casts)',
  translated: {
    pipeline: 'condition-numeric',
    params: { n: 'int = 7', threshold: 'float = 0.5' },
    root: {
      measure: { task: 'measure', in: { n: '$n' } },
      ratio: { task: 'ratio', in: { n: '$n' } },
      'condition-1': { after: ['measure'], if: [{ when: 'measure.Output > 5', then: say('say', 'more than five') }] },
      'condition-2': {
        after: ['ratio'],
        if: [{ when: 'ratio.Output >= $threshold', then: say('say-2', 'ratio at or above the threshold') }],
      },
      'condition-3': {
        after: ['measure'],
        if: [{ when: 'measure.Output < 7.5', then: say('say-3', 'below seven and a half') }],
      },
      'condition-4': { after: ['measure'], if: [{ when: 'measure.Output != 3', then: say('say-4', 'not three') }] },
    },
  },
  run: {
    state: 'SUCCEEDED',
    // n = 7: 7 > 5, 0.7 >= 0.5, 7 < 7.5 and 7 != 3 all hold.
    tasks: {
      measure: 'succeeded',
      ratio: 'succeeded',
      say: 'succeeded',
      'say-2': 'succeeded',
      'say-3': 'succeeded',
      'say-4': 'succeeded',
    },
    outputs: { 'measure.Output': 7, 'ratio.Output': 0.7 },
  },
};
