import type { Expectation } from '../expectation';

/** A claim name known only at run time: Kiln's volumes are fixed at compile time. */
export const expectation: Expectation = {
  feature: 'kfp-kubernetes mount_pvc with the name from a parameter',
  kind: 'pipeline+platform',
  refused: [
    {
      path: 'platforms.kubernetes.deploymentSpec.executors.exec-use-data.pvcMount[0].pvcNameParameter',
      feature: 'kubernetes.mount_pvc from a pipeline parameter or task output',
    },
  ],
};
