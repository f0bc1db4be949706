import type { Expectation } from '../expectation';

/** use_venv=True: the bootstrap makes a virtualenv before installing kfp; the record says so. */
export const expectation: Expectation = {
  feature: 'use_venv=True (pip bootstrap into a virtualenv)',
  translated: {
    pipeline: 'use-venv',
    params: {},
    root: { 'in-venv': { task: 'in-venv', in: {} } },
    outputs: { Output: 'in-venv.Output' },
    components: {
      'in-venv': {
        type: 'container',
        kfpPackages: ['kfp==2.17.3', 'typing-extensions>=3.7.4,<5; python_version<"3.9"'],
        kfpVenv: true,
      },
    },
  },
  run: {
    state: 'SUCCEEDED',
    tasks: { 'in-venv': 'succeeded' },
  },
};
