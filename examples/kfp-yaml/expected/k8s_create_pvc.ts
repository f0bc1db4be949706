import type { Expectation } from '../expectation';

/** CreatePVC/DeletePVC are stub images KFP's backend intercepts; the mount names a PVC made at run time. */
export const expectation: Expectation = {
  feature: 'kfp-kubernetes CreatePVC / DeletePVC',
  kind: 'pipeline+platform',
  refused: [
    { path: 'deploymentSpec.executors.exec-createpvc.container.image', feature: 'kubernetes.CreatePVC' },
    { path: 'deploymentSpec.executors.exec-deletepvc.container.image', feature: 'kubernetes.DeletePVC' },
    {
      path: 'platforms.kubernetes.deploymentSpec.executors.exec-use-volume.pvcMount[0].pvcNameParameter',
      feature: 'kubernetes.mount_pvc from a pipeline parameter or task output',
    },
  ],
};
