import type { Expectation } from '../expectation';

/** .after() → dependsOn; set_display_name (KFP's taskInfo.name) → the task's display name. */
export const expectation: Expectation = {
  feature: 'task.after(), set_display_name()',
  translated: {
    pipeline: 'after-display-names',
    params: {},
    root: {
      step: { task: 'step', in: { text: '"first"' }, settings: { displayName: 'Step A' } },
      'step-2': { task: 'step', in: { text: '"second"' }, settings: { displayName: 'Step B' } },
      'step-3': { task: 'step', after: ['step', 'step-2'], in: { text: '"last"' }, settings: {} },
    },
  },
  run: {
    state: 'SUCCEEDED',
    tasks: { step: 'succeeded', 'step-2': 'succeeded', 'step-3': 'succeeded' },
    logs: { step: 'first', 'step-2': 'second', 'step-3': 'last' },
  },
};
