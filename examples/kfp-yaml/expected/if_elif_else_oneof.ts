import type { Expectation } from '../expectation';

const branch = (id: string, text: string) => ({ [id]: { task: 'label', in: { text: `"${text}"` } } });

/**
 * If / Elif / Elif / Else is one Kiln condition with four ordered branches. KFP writes each
 * later branch as the negation of every earlier test && its own; under first-match those
 * negations are redundant and are dropped, the Else is the otherwise branch. dsl.OneOf is a
 * Kiln oneOf over the four branches' outputs.
 */
export const expectation: Expectation = {
  feature: 'dsl.If / dsl.Elif / dsl.Else with dsl.OneOf of parameters',
  translated: {
    pipeline: 'if-elif-else-oneof',
    params: { score: 'int = 72' },
    root: {
      grade: { task: 'grade', in: { score: '$score' } },
      'condition-branches-1': {
        after: ['grade'],
        if: [
          { when: 'grade.Output >= 90', then: branch('label', 'A') },
          { when: 'grade.Output >= 70', then: branch('label-2', 'B') },
          { when: 'grade.Output >= 50', then: branch('label-3', 'C') },
          { then: branch('label-4', 'F') },
        ],
      },
      announce: {
        task: 'announce',
        after: ['condition-branches-1'],
        in: { text: 'oneOf(condition-branches-1: label.Output | label-2.Output | label-3.Output | label-4.Output)' },
      },
    },
    outputs: { Output: 'announce.Output' },
  },
  run: {
    state: 'SUCCEEDED',
    // score 72: not >= 90, but >= 70: the first Elif ("B") runs, the rest are skipped.
    tasks: {
      grade: 'succeeded',
      label: 'skipped',
      'label-2': 'succeeded',
      'label-3': 'skipped',
      'label-4': 'skipped',
      announce: 'succeeded',
    },
    outputs: { 'announce.Output': 'B', 'pipeline.Output': 'B' },
  },
};
