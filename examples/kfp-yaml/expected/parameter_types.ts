import type { Expectation } from '../expectation';

/**
 * KFP's parameter types map one to one: STRING, NUMBER_INTEGER, NUMBER_DOUBLE, BOOLEAN, LIST
 * and STRUCT are Kiln's string, int, float, bool, list and object; the defaults keep their
 * values (KFP writes the int default as 3.0). NamedTuple fields are outputs by name.
 */
export const expectation: Expectation = {
  feature: 'parameter types str/int/float/bool/list/dict, defaults',
  translated: {
    pipeline: 'parameter-types',
    params: {
      text: 'string = "kiln"',
      count: 'int = 3',
      ratio: 'float = 0.5',
      flag: 'bool = true',
      items: 'list = [1,2]',
      options: 'object = {"mode":"fast"}',
    },
    root: {
      describe: {
        task: 'describe',
        in: { text: '$text', count: '$count', ratio: '$ratio', flag: '$flag', items: '$items', options: '$options' },
      },
      show: {
        task: 'show',
        after: ['describe'],
        in: {
          text: 'describe.text',
          count: 'describe.count',
          ratio: 'describe.ratio',
          flag: 'describe.flag',
          items: 'describe.items',
          options: 'describe.options',
        },
      },
    },
    outputs: { Output: 'show.Output' },
  },
  run: {
    state: 'SUCCEEDED',
    tasks: { describe: 'succeeded', show: 'succeeded' },
    outputs: {
      'describe.text': 'KILN',
      'describe.count': 6,
      'describe.ratio': 0.25,
      'describe.flag': false,
      'describe.items': [1, 2, 3],
      'describe.options': { mode: 'fast', seen: 'yes' },
      'pipeline.Output': "KILN 6 0.25 False [1, 2, 3] [('mode', 'fast'), ('seen', 'yes')]",
    },
  },
};
