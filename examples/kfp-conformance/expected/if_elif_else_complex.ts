import type { Expected, ShapeDag } from '../structure';

/** KFP condition-8 / condition-9 bodies: is-even-or-odd, If even / Else odd, print the OneOf. */
const evenOdd = (e: string, cond: string, even: string, odd: string, printer: string, range: string): ShapeDag => ({
  [e]: { task: 'is-even-or-odd', in: { num: 'int-0-to-9999.Output' } },
  [cond]: {
    after: [e],
    branches: [
      {
        when: `${e}.Output == "even"`,
        dag: { [even]: { task: 'print-and-return', in: { text: `"Got a ${range} even number!"` } } },
      },
      { dag: { [odd]: { task: 'print-and-return', in: { text: `"Got a ${range} odd number!"` } } } },
    ],
  },
  [printer]: {
    task: 'print-and-return',
    after: [cond],
    in: { text: `oneOf(${cond}: ${even}.Output | ${odd}.Output)` },
  },
});

export const expected: Expected = {
  kfp: 'if_elif_else_complex',
  pipeline: 'lucky-number-pipeline',
  params: ['add_drumroll', 'repeat_if_lucky_number', 'trials'],
  root: {
    'for-loop-1': {
      loop: '$trials',
      body: {
        'int-0-to-9999': { task: 'int-0-to-9999', settings: { caching: { enabled: false } } },
        'condition-1': {
          kfp: 'condition-2',
          branches: [
            {
              when: '$add_drumroll == true',
              dag: {
                'condition-2': {
                  kfp: 'condition-3',
                  branches: [
                    {
                      when: 'item(for-loop-1) == 3',
                      dag: {
                        'print-and-return': {
                          task: 'print-and-return',
                          in: { text: '"Adding drumroll on last trial!"' },
                        },
                      },
                    },
                  ],
                },
              },
            },
          ],
        },
        'condition-3': {
          kfp: 'condition-branches-4 (condition-8, -9, -13)',
          after: ['int-0-to-9999'],
          branches: [
            {
              when: 'int-0-to-9999.Output < 5000',
              dag: evenOdd(
                'is-even-or-odd',
                'condition-4',
                'print-and-return-2',
                'print-and-return-3',
                'print-and-return-4',
                'low',
              ),
            },
            {
              when: 'int-0-to-9999.Output > 5000',
              dag: evenOdd(
                'is-even-or-odd-2',
                'condition-5',
                'print-and-return-5',
                'print-and-return-6',
                'print-and-return-7',
                'high',
              ),
            },
            {
              dag: {
                'print-and-return-8': { task: 'print-and-return' },
                'condition-6': {
                  kfp: 'condition-14',
                  branches: [
                    {
                      when: '$repeat_if_lucky_number == true',
                      dag: {
                        'for-loop-2': {
                          kfp: 'for-loop-16',
                          loop: '[1,2]',
                          body: { 'print-and-return-9': { task: 'print-and-return' } },
                        },
                      },
                    },
                  ],
                },
              },
            },
          ],
        },
      },
    },
    'print-ints': {
      task: 'print-ints',
      after: ['for-loop-1'],
      in: { ints: 'collected(for-loop-1/int-0-to-9999.Output)' },
    },
  },
  runtime: {
    state: 'SUCCEEDED',
    tasks: {
      'int-0-to-9999': { succeeded: 3 },
      'print-and-return': { succeeded: 1, skipped: 2 },
      'is-even-or-odd': { succeeded: 3 },
      'print-and-return-2': { succeeded: 3 },
      'print-and-return-3': { skipped: 3 },
      'print-and-return-4': { succeeded: 3 },
      'is-even-or-odd-2': { skipped: 3 },
      'print-and-return-8': { skipped: 3 },
      'print-ints': 'succeeded',
    },
    outputs: {
      'print-and-return-4.Output': ['Got a low even number!', 'Got a low even number!', 'Got a low even number!'],
    },
    logs: { 'print-ints': ['[2024, 2024, 2024]'] },
    note: 'int-0-to-9999 returns 2024 (low, even) in every iteration; the drumroll prints only for trial 3.',
  },
};
