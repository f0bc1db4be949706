/**
 * Platform settings kfp-kubernetes' Python API in 2.17 cannot write but its proto allows (shared
 * memory, JSON tolerations and node selectors, pod affinity), and the exact settings each maps to.
 */
import { translateKfpPipeline } from '../src';
import { basePipeline, platformFor, yamlOf } from './support/kfp-docs';

function settingsWith(config: Record<string, unknown>) {
  const spec = translateKfpPipeline(yamlOf(basePipeline(), platformFor('exec-consume', config)));
  const consume = spec.root.tasks['consume'];
  return consume?.type === 'task' ? consume.settings : undefined;
}

test('shared memory is an in-memory emptyDir at /dev/shm', () => {
  expect(settingsWith({ enabledSharedMemory: { volumeName: 'shm', size: '1Gi' } })).toMatchObject({
    volumes: [{ name: 'shm', mountPath: '/dev/shm', source: { type: 'emptyDir', medium: 'Memory', sizeLimit: '1Gi' } }],
  });
});

test('a toleration and a node selector given as constant JSON', () => {
  expect(
    settingsWith({
      tolerations: [
        { tolerationJson: { runtimeValue: { constant: { key: 'gpu', operator: 'Exists', effect: 'NoSchedule' } } } },
      ],
      nodeSelector: { nodeSelectorJson: { runtimeValue: { constant: { disk: 'ssd' } } } },
    }),
  ).toMatchObject({
    tolerations: [{ key: 'gpu', operator: 'Exists', effect: 'NoSchedule' }],
    nodeSelector: { disk: 'ssd' },
  });
});

test('pod affinity and anti-affinity terms, required and preferred', () => {
  expect(
    settingsWith({
      podAffinity: [
        { matchPodLabels: { app: 'cache' }, topologyKey: 'kubernetes.io/hostname' },
        {
          matchPodExpressions: [{ key: 'app', operator: 'In', values: ['trainer'] }],
          topologyKey: 'topology.kubernetes.io/zone',
          weight: 20,
          anti: true,
        },
      ],
    }),
  ).toEqual({
    affinity: {
      podAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          { labelSelector: { matchLabels: { app: 'cache' } }, topologyKey: 'kubernetes.io/hostname' },
        ],
      },
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          {
            weight: 20,
            podAffinityTerm: {
              labelSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['trainer'] }] },
              topologyKey: 'topology.kubernetes.io/zone',
            },
          },
        ],
      },
    },
  });
});

test('settings of an executor go to every task that runs it, after the executor env', () => {
  const doc = basePipeline();
  const container = doc.deploymentSpec.executors['exec-consume']?.['container'] as Record<string, unknown>;
  container['env'] = [{ name: 'MODE', value: 'batch' }];
  const spec = translateKfpPipeline(
    yamlOf(doc, platformFor('exec-consume', { imagePullPolicy: 'Never', activeDeadlineSeconds: '90' })),
  );
  expect(spec.root.tasks['consume']).toMatchObject({
    settings: { env: { MODE: 'batch' }, imagePullPolicy: 'Never', timeoutSeconds: 90 },
  });
  expect(spec.root.tasks['produce']).toMatchObject({ settings: {} });
});
