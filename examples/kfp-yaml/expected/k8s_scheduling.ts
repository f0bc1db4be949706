import type { Expectation } from '../expectation';

/**
 * Scheduling and pod settings map one to one; a node affinity term without a weight is required,
 * one with a weight preferred (as kfp-kubernetes documents); set_timeout is the task timeout.
 */
export const expectation: Expectation = {
  feature: 'kfp-kubernetes node selector, toleration, affinity, labels, pull policy/secrets, timeout',
  kind: 'pipeline+platform',
  translated: {
    pipeline: 'k8s-scheduling',
    params: {},
    root: {
      train: {
        task: 'train',
        in: {},
        settings: {
          timeoutSeconds: 600,
          nodeSelector: { 'cloud.google.com/gke-nodepool': 'gpu-pool' },
          tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [
                  { matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['a', 'b'] }] },
                ],
              },
              preferredDuringSchedulingIgnoredDuringExecution: [
                {
                  weight: 50,
                  preference: { matchExpressions: [{ key: 'disktype', operator: 'In', values: ['ssd'] }] },
                },
              ],
            },
          },
          labels: { team: 'ml' },
          annotations: { owner: 'alice' },
          imagePullPolicy: 'IfNotPresent',
          imagePullSecrets: ['registry-credentials'],
        },
      },
    },
  },
  run: {
    state: 'SUCCEEDED',
    tasks: { train: 'succeeded' },
    outputs: { 'train.Output': 'trained' },
    note: 'local executor only: the test cluster has no node in gpu-pool, so the pod would never be scheduled (as KFP)',
  },
};
