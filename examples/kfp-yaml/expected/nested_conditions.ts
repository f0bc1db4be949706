import type { Expectation } from '../expectation';

/** Nested dsl.If groups nest as Kiln conditions; the inner tests reach the outer output and a parameter. */
export const expectation: Expectation = {
  feature: 'nested conditions',
  translated: {
    pipeline: 'nested-conditions',
    params: { value: 'int = 4', verbose: 'bool = true' },
    root: {
      roll: { task: 'roll', in: { value: '$value' } },
      'condition-1': {
        after: ['roll'],
        if: [
          {
            when: 'roll.Output > 2',
            then: {
              say: { task: 'say', in: { text: '"big"' } },
              'condition-2': {
                if: [
                  {
                    when: '$verbose == true',
                    then: {
                      'say-2': { task: 'say', in: { text: '"and verbose"' } },
                      'condition-3': {
                        if: [
                          {
                            when: 'roll.Output == 4',
                            then: { 'say-3': { task: 'say', in: { text: '"exactly four"' } } },
                          },
                        ],
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
  run: {
    state: 'SUCCEEDED',
    // value 4 > 2, verbose, and 4 == 4: every level runs.
    tasks: { roll: 'succeeded', say: 'succeeded', 'say-2': 'succeeded', 'say-3': 'succeeded' },
  },
};
