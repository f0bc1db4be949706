import type { Expectation } from '../expectation';

/** A compiled Python component is one container speaking KFP's executor protocol. */
export const expectation: Expectation = {
  feature: 'a Python component compiled to component YAML',
  kind: 'component',
  component: {
    name: 'fit',
    inputs: { data: 'dataset artifact', rounds: 'int' },
    outputs: { model: 'model artifact', Output: 'float' },
    shape: {
      type: 'container',
      kfpPackages: ['six==1.17.0', 'kfp==2.17.3', 'typing-extensions>=3.7.4,<5; python_version<"3.9"'],
      kfpTypes: {
        inputs: { data: 'system.Dataset@0.0.1', rounds: 'NUMBER_INTEGER' },
        outputs: { model: 'system.Model@0.0.1', Output: 'NUMBER_DOUBLE' },
      },
    },
  },
  notRun:
    'a component file, not a pipeline: loadComponent reads it into a Kiln pipeline (libs/dsl test/load-kfp.test.ts)',
};
