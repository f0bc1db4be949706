/**
 * The pod spec and the pod name: every task setting from the IR reaches the
 * pod, nothing secret does, and the API server accepts the result (server-side
 * dry run against the real kube-apiserver).
 */
import { CoreV1Api } from '@kubernetes/client-node';
import { annotationKeys, containerNames, labelKeys, podIdentity } from '@kiln/kube';
import { executionKey, podRequestKey } from '@kiln/store-layout';
import { buildPod, isValidImageReference } from '../src';
import { launcherFailedExitCode, launcherReadyFile, mainWrapper, mainWrapperAfterLauncher } from '../src/in-pod/layout';
import { cluster, component, stepRequest, type Cluster } from './support/cluster';

let c: Cluster;
beforeAll(() => {
  c = cluster();
});
afterAll(async () => {
  await c.core.deleteNamespacedServiceAccount({ namespace: c.namespace, name: 'trainer' }).catch(() => undefined);
  await c.cleanup();
});

describe('buildPod', () => {
  const req = stepRequest(
    component(
      [
        'python',
        'train.py',
        '--data',
        { kind: 'inputPath', input: 'data' },
        '--lr',
        { kind: 'inputValue', input: 'lr' },
        '--out',
        { kind: 'outputPath', output: 'model' },
      ],
      {
        inputs: { data: { kind: 'artifact', type: 'dataset' }, lr: { kind: 'param', type: 'float' } },
        outputs: { model: { kind: 'artifact', type: 'model' } },
        image: 'ghcr.io/acme/train:1.2',
      },
    ),
    {
      inputs: {
        params: { lr: 0.01 },
        artifacts: { data: { uri: 'file:///tmp/store/data.csv', type: 'dataset', metadata: {} } },
      },
      artifactRoot: 's3://kiln/artifacts',
      outputs: { params: {}, artifacts: { model: { type: 'model' } } },
      settings: {
        timeoutSeconds: 3600,
        resources: {
          cpu: { request: '2', limit: '4' },
          memory: { request: '4Gi', limit: '8Gi' },
          gpu: { count: 2 },
          accelerator: 'nvidia-tesla-a100',
        },
        env: { MODE: 'fast' },
        secrets: [
          { name: 'wandb', env: { WANDB_API_KEY: 'key' } },
          { name: 'certs', mountPath: '/etc/certs' },
        ],
        configMaps: [{ name: 'settings', env: { LEVEL: 'level' }, mountPath: '/etc/settings' }],
        volumes: [
          { name: 'cache', mountPath: '/cache', source: { type: 'pvc', claimName: 'model-cache' } },
          { name: 'scratch', mountPath: '/scratch', source: { type: 'emptyDir', medium: 'Memory', sizeLimit: '1Gi' } },
        ],
        nodeSelector: { pool: 'gpu' },
        tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }],
            },
          },
        },
        serviceAccount: 'trainer',
        labels: { team: 'ml' },
        annotations: { 'acme.io/owner': 'alice' },
        imagePullPolicy: 'Always',
        imagePullSecrets: ['acme-registry'],
      },
    },
  );
  const pod = buildPod({
    request: req,
    identity: podIdentity(req),
    namespace: 'kiln-test',
    storeUrl: 's3://kiln/artifacts',
    requestKey: podRequestKey(executionKey(req)),
    defaults: {
      launcherImage: 'ghcr.io/kiln-dev/kiln-launcher:0.1.0',
      storeSecret: 'kiln-store',
      imagePullSecrets: ['kiln-registry'],
      securityContext: { runAsNonRoot: true },
    },
  });
  if (!pod.spec) throw new Error('buildPod returned no spec');
  const spec = pod.spec;
  const main = spec.containers.find((x) => x.name === containerNames.main) ?? { name: 'missing' };

  test('has one launcher sidecar (phase launch) and the main container, restartPolicy Never and activeDeadlineSeconds from the timeout', () => {
    expect(spec.initContainers?.map((x) => [x.name, x.restartPolicy])).toEqual([[containerNames.launcher, 'Always']]);
    expect(spec.initContainers?.[0]?.command?.slice(0, 2)).toEqual(['kiln-pod-launcher', 'launch']);
    expect(spec.restartPolicy).toBe('Never');
    expect(spec.activeDeadlineSeconds).toBe(3600);
  });

  test("main's wrapper waits for the launcher's ready file (or exits at its failed file) before the command", () => {
    expect(main.command?.[2]).toBe(mainWrapperAfterLauncher);
    expect(mainWrapperAfterLauncher).toContain(`while [ ! -e ${launcherReadyFile} ]`);
    expect(mainWrapperAfterLauncher).toContain(`exit ${launcherFailedExitCode}`);
  });

  test('the two-process layout keeps the publish sidecar first, then the fetch init container, and the plain wrapper', () => {
    const two = buildPod({
      request: req,
      identity: podIdentity(req),
      namespace: 'kiln-test',
      storeUrl: 's3://kiln/artifacts',
      requestKey: podRequestKey(executionKey(req)),
      defaults: { launcherImage: 'ghcr.io/kiln-dev/kiln-launcher:0.1.0', launcherLayout: 'init-and-sidecar' },
    });
    expect(two.spec?.initContainers?.map((x) => [x.name, x.restartPolicy, x.command?.[1]])).toEqual([
      [containerNames.publish, 'Always', 'publish'],
      [containerNames.fetch, undefined, 'fetch'],
    ]);
    expect(two.spec?.containers[0]?.command?.[2]).toBe(mainWrapper);
  });

  test('runs the resolved command through the /bin/sh wrapper, one argument per value', () => {
    expect(main.image).toBe('ghcr.io/acme/train:1.2');
    expect(main.command?.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(main.command?.slice(3)).toEqual([
      'kiln-step',
      'python',
      'train.py',
      '--data',
      '/kiln/work/inputs/data/data.csv',
      '--lr',
      '0.01',
      '--out',
      '/kiln/work/outputs/model/model',
    ]);
  });

  test('a request from an older history keeps its execution key and the output URIs it carries', () => {
    const { artifactRoot: _root, ...identity } = req;
    const legacy = {
      ...identity,
      executionKey: 'an/older/key',
      outputs: {
        params: {},
        artifacts: { model: { uri: 's3://kiln/artifacts/old/model.pkl', type: 'model' as const } },
      },
    };
    const old = buildPod({
      request: legacy,
      identity: podIdentity(legacy),
      namespace: 'kiln-test',
      storeUrl: 's3://kiln/artifacts',
      requestKey: podRequestKey(legacy.executionKey),
      defaults: { launcherImage: 'ghcr.io/kiln-dev/kiln-launcher:0.1.0' },
    });
    expect(old.metadata?.annotations?.[annotationKeys.executionKey]).toBe('an/older/key');
    expect(old.spec?.containers[0]?.command?.at(-1)).toBe('/kiln/work/outputs/model/model.pkl');
  });

  test('passes resources, GPUs, accelerator, node selector, tolerations and affinity through', () => {
    expect(main.resources).toEqual({
      requests: { cpu: '2', memory: '4Gi' },
      limits: { cpu: '4', memory: '8Gi', 'nvidia.com/gpu': '2' },
    });
    expect(spec.nodeSelector).toEqual({ 'cloud.google.com/gke-accelerator': 'nvidia-tesla-a100', pool: 'gpu' });
    expect(spec.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(
      spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms[0]
        ?.matchExpressions?.[0]?.key,
    ).toBe('zone');
  });

  test("an accelerator written as a resource name (KFP's nvidia.com/gpu) is a limit, never a node selector", () => {
    const kfpStyle = stepRequest(component(['true'], {}), {
      settings: { resources: { accelerator: 'nvidia.com/gpu' } },
    });
    const pod = buildPod({
      request: kfpStyle,
      identity: podIdentity(kfpStyle),
      namespace: 'ml',
      storeUrl: 's3://kiln/artifacts',
      requestKey: podRequestKey(executionKey(kfpStyle)),
      defaults: { launcherImage: 'ghcr.io/kiln-dev/kiln-launcher:0.1.0' },
    });
    expect(pod.spec?.containers[0]?.resources).toEqual({ limits: { 'nvidia.com/gpu': '1' } });
    expect(pod.spec?.nodeSelector).toBeUndefined();
  });

  test('passes secrets and config maps as env and files, volumes, service account, pull policy and pull secrets, labels and annotations', () => {
    expect(main.env).toEqual([
      { name: 'MODE', value: 'fast' },
      { name: 'WANDB_API_KEY', valueFrom: { secretKeyRef: { name: 'wandb', key: 'key' } } },
      { name: 'LEVEL', valueFrom: { configMapKeyRef: { name: 'settings', key: 'level' } } },
    ]);
    expect(main.volumeMounts?.map((m) => m.mountPath)).toEqual([
      '/kiln',
      '/etc/certs',
      '/etc/settings',
      '/cache',
      '/scratch',
    ]);
    expect(spec.volumes).toEqual(
      expect.arrayContaining([
        { name: 'kiln-secret-1', secret: { secretName: 'certs' } },
        { name: 'user-cache', persistentVolumeClaim: { claimName: 'model-cache' } },
        { name: 'user-scratch', emptyDir: { medium: 'Memory', sizeLimit: '1Gi' } },
      ]),
    );
    expect(spec.serviceAccountName).toBe('trainer');
    expect(main.imagePullPolicy).toBe('Always');
    expect(spec.imagePullSecrets).toEqual([{ name: 'kiln-registry' }, { name: 'acme-registry' }]);
    expect(pod.metadata?.labels).toMatchObject({ team: 'ml', [labelKeys.attempt]: '1' });
    expect(pod.metadata?.annotations).toMatchObject({ 'acme.io/owner': 'alice' });
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true });
  });

  test('gives store credentials to the launcher containers only, by Secret name', () => {
    for (const launcher of spec.initContainers ?? [])
      expect(launcher.envFrom).toEqual([{ secretRef: { name: 'kiln-store' } }]);
    expect(main.envFrom).toBeUndefined();
    expect(JSON.stringify(pod)).not.toMatch(/KILN_S3_ACCESS_KEY|KILN_S3_SECRET_KEY/);
  });

  test('sets runAsNonRoot only when configured, and mounts no service account token unless one is asked for', () => {
    const plain = stepRequest(component(['true']));
    const built = buildPod({
      request: plain,
      identity: podIdentity(plain),
      namespace: 'x',
      storeUrl: 'file:///s',
      requestKey: 'k',
      defaults: { launcherImage: 'l' },
    });
    expect(built.spec?.securityContext?.runAsNonRoot).toBeUndefined();
    expect(built.spec?.automountServiceAccountToken).toBe(false);
    expect(built.spec?.activeDeadlineSeconds).toBeUndefined();
  });

  test('is accepted by the real API server (server-side dry run)', async () => {
    const core = c.kc.makeApiClient(CoreV1Api);
    // Admission checks that the task's service account exists.
    await core
      .createNamespacedServiceAccount({ namespace: c.namespace, body: { metadata: { name: 'trainer' } } })
      .catch(() => undefined);
    const accepted = await core.createNamespacedPod({
      namespace: c.namespace,
      body: { ...pod, metadata: { ...pod.metadata, namespace: c.namespace } },
      dryRun: 'All',
    });
    expect(accepted.spec?.initContainers?.[0]?.restartPolicy).toBe('Always');
    expect(accepted.spec?.containers[0]?.resources?.requests?.['nvidia.com/gpu']).toBe('2');
  });
});

describe('buildPod for other steps', () => {
  const build = (req: ReturnType<typeof stepRequest>) =>
    buildPod({
      request: req,
      identity: podIdentity(req),
      namespace: 'x',
      storeUrl: 'file:///s',
      requestKey: 'k',
      defaults: { launcherImage: 'l' },
    });

  test("a python component runs the shim the fetch phase puts in the work folder on the image's python3", () => {
    const req = stepRequest({
      name: 'py',
      inputs: {},
      outputs: {},
      implementation: {
        type: 'python',
        image: 'python:3.11-slim',
        packages: ['pandas==2.2.3'],
        source: 'def main():\n    pass\n',
        entrypoint: 'main',
      },
    });
    const main = build(req).spec?.containers[0];
    expect(main?.image).toBe('python:3.11-slim');
    expect(main?.command?.slice(3)).toEqual([
      'kiln-step',
      'python3',
      '-u',
      '/kiln/work/kiln_shim.py',
      '/kiln/work/kiln-shim-spec.json',
    ]);
  });

  test("identity placeholders resolve to the step's run, task and attempt", () => {
    const req = stepRequest(component(['echo', { kind: 'runId' }, { kind: 'taskId' }, { kind: 'attempt' }]), {
      attempt: 3,
    });
    expect(build(req).spec?.containers[0]?.command?.slice(3)).toEqual(['kiln-step', 'echo', req.runId, 'step', '3']);
  });

  test("the step's podTtlSeconds travels as an annotation; without it there is none", () => {
    const own = stepRequest(component(['true']), { podTtlSeconds: 600 });
    expect(build(own).metadata?.annotations?.[annotationKeys.failedPodTtlSeconds]).toBe('600');
    const plain = stepRequest(component(['true']));
    expect(build(plain).metadata?.annotations).not.toHaveProperty(annotationKeys.failedPodTtlSeconds);
  });
});

describe('isValidImageReference', () => {
  test('accepts what registries accept and rejects what no runtime can parse', () => {
    for (const ok of [
      'alpine',
      'alpine:3',
      'ghcr.io/acme/train:1.2',
      'localhost:5000/x/y',
      `busybox@sha256:${'a'.repeat(64)}`,
      'Registry.Example.com/team/img',
    ]) {
      expect([ok, isValidImageReference(ok)]).toEqual([ok, true]);
    }
    for (const bad of ['', 'Not A Valid/Image::name', 'UPPER/case', 'a:b:c', 'x@sha256:short'])
      expect([bad, isValidImageReference(bad)]).toEqual([bad, false]);
  });
});

describe("a step pod's environment", () => {
  const saved: Record<string, string | undefined> = {};
  const workerSecrets = {
    KILN_S3_SECRET_KEY: 'worker-s3-secret',
    AWS_SECRET_ACCESS_KEY: 'worker-aws-secret',
    TEMPORAL_ADDRESS: 'temporal.internal:7233',
  };
  beforeAll(() => {
    // The worker building the pod holds credentials in its environment, as a deployed one does.
    for (const [name, value] of Object.entries(workerSecrets)) {
      saved[name] = process.env[name];
      process.env[name] = value;
    }
  });
  afterAll(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  test('the pod the API server stores carries only what the step names: its env, secret and config map keys', async () => {
    const req = stepRequest(component(['sh', '-c', 'env']), {
      settings: {
        env: { MODE: 'fast' },
        secrets: [{ name: 'wandb', env: { WANDB_API_KEY: 'key' } }],
        configMaps: [{ name: 'settings', env: { LEVEL: 'level' } }],
        // Nowhere to schedule: the pod object is what is checked, not a run of it.
        nodeSelector: { 'kiln.dev/nowhere': 'true' },
      },
    });
    const pod = buildPod({
      request: req,
      identity: podIdentity(req),
      namespace: c.namespace,
      storeUrl: 's3://kiln/artifacts',
      requestKey: podRequestKey(executionKey(req)),
      defaults: { launcherImage: 'ghcr.io/kiln-dev/kiln-launcher:0.1.0', storeSecret: 'kiln-store' },
    });
    const name = pod.metadata?.name ?? '';
    await c.core.createNamespacedPod({ namespace: c.namespace, body: pod });
    try {
      const stored = await c.core.readNamespacedPod({ namespace: c.namespace, name });
      const main = stored.spec?.containers.find((x) => x.name === containerNames.main);
      expect(main?.env?.map((e) => e.name).sort()).toEqual(['LEVEL', 'MODE', 'WANDB_API_KEY']);
      expect(main?.env?.find((e) => e.name === 'WANDB_API_KEY')?.valueFrom?.secretKeyRef).toEqual({
        name: 'wandb',
        key: 'key',
      });
      expect(main?.envFrom).toBeUndefined();
      // No Service variables (KUBERNETES_SERVICE_HOST, …) injected into the step, no token mounted.
      expect(stored.spec?.enableServiceLinks).toBe(false);
      expect(stored.spec?.automountServiceAccountToken).toBe(false);
      const text = JSON.stringify(stored);
      for (const value of Object.values(workerSecrets)) expect(text).not.toContain(value);
      for (const launcher of stored.spec?.initContainers ?? [])
        expect(launcher.envFrom).toEqual([{ secretRef: { name: 'kiln-store' } }]);
    } finally {
      await c.core.deleteNamespacedPod({ namespace: c.namespace, name, gracePeriodSeconds: 0 });
    }
  });
});
