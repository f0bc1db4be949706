import type { Expectation } from '../expectation';

const pvc = { name: 'pvc-shared-data', mountPath: '/data', source: { type: 'pvc' as const, claimName: 'shared-data' } };

/** mount_pvc → a PVC volume; empty_dir_mount → an emptyDir volume with its medium and size limit. */
export const expectation: Expectation = {
  feature: 'kfp-kubernetes PVC mounts and emptyDir',
  kind: 'pipeline+platform',
  translated: {
    pipeline: 'k8s-volumes',
    params: { text: 'string = "hello volume"' },
    root: {
      'write-shared': {
        task: 'write-shared',
        in: { text: '$text' },
        settings: {
          volumes: [
            pvc,
            {
              name: 'scratch',
              mountPath: '/scratch',
              source: { type: 'emptyDir', medium: 'Memory', sizeLimit: '512Mi' },
            },
          ],
        },
      },
      'read-shared': { task: 'read-shared', after: ['write-shared'], in: {}, settings: { volumes: [pvc] } },
    },
    outputs: { Output: 'read-shared.Output' },
  },
  notRun:
    'needs the PersistentVolumeClaim shared-data: the local executor mounts no volumes and the test cluster provisions no storage',
};
