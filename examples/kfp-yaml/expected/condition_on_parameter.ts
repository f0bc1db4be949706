import type { Expectation } from '../expectation';

/** Conditions on pipeline parameters (a bool, a string; dsl.Condition is dsl.If's old name). */
export const expectation: Expectation = {
  feature: 'conditions on pipeline parameters, dsl.Condition',
  translated: {
    pipeline: 'condition-on-parameter',
    params: { deploy: 'bool = false', env: 'string = "staging"' },
    root: {
      'condition-1': { if: [{ when: '$deploy == true', then: { say: { task: 'say', in: { text: '"deploying"' } } } }] },
      'condition-2': {
        if: [{ when: '$env == "prod"', then: { 'say-2': { task: 'say', in: { text: '"production"' } } } }],
      },
      'condition-3': {
        if: [{ when: '$env != "prod"', then: { 'say-3': { task: 'say', in: { text: '"not production"' } } } }],
      },
    },
  },
  run: {
    state: 'SUCCEEDED',
    // deploy = False and env = "staging": only the != "prod" branch runs.
    tasks: { say: 'skipped', 'say-2': 'skipped', 'say-3': 'succeeded' },
    logs: { 'say-3': 'not production' },
  },
};
