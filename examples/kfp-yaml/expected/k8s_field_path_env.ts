import type { Expectation } from '../expectation';

/** The downward API as env has no Kiln task setting. */
export const expectation: Expectation = {
  feature: 'kfp-kubernetes use_field_path_as_env',
  kind: 'pipeline+platform',
  refused: [
    {
      path: 'platforms.kubernetes.deploymentSpec.executors.exec-whereami.fieldPathAsEnv',
      feature: 'kubernetes.use_field_path_as_env',
    },
  ],
};
