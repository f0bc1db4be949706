import type { Expectation } from '../expectation';

/** Importer metadata with a `{{$.inputs.parameters[...]}}` placeholder is resolved at run time by KFP. */
export const expectation: Expectation = {
  feature: 'dsl.importer metadata from a parameter',
  refused: [
    {
      path: 'deploymentSpec.executors.exec-importer.importer.metadata',
      feature: 'dsl.importer metadata from pipeline values',
    },
  ],
};
