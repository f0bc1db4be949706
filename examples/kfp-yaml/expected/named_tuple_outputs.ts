import type { Expectation } from '../expectation';

/** A NamedTuple return gives one output per field; the Output[Dataset] parameter is an output too. */
export const expectation: Expectation = {
  feature: 'NamedTuple outputs next to an output artifact',
  translated: {
    pipeline: 'named-tuple-outputs',
    params: { text: 'string = "one two three"' },
    root: {
      split: { task: 'split', in: { text: '$text' } },
      report: {
        task: 'report',
        after: ['split'],
        in: { first: 'split.first', count: 'split.count', words: 'split.words' },
      },
    },
    outputs: { Output: 'report.Output' },
  },
  run: {
    state: 'SUCCEEDED',
    tasks: { split: 'succeeded', report: 'succeeded' },
    outputs: { 'split.first': 'one', 'split.count': 3, 'pipeline.Output': '3 words, first one, last three' },
    artifacts: { 'split.words': { text: 'one\ntwo\nthree' } },
  },
};
