/**
 * The API server goes away mid-watch and comes back: the activity keeps
 * heartbeating, its watch relists, and the step finishes with its outputs.
 * A frozen API server (connections open, nothing said) is survived too, and
 * a watch from a resourceVersion the restarted server no longer has gets a
 * real 410 Gone from it and relists. Runs on a private cluster so none of
 * this disturbs any other suite.
 */
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { makeCoreApi, podIdentity } from '@kiln/kube';
import { locateStep, podRequestKey } from '@kiln/store-layout';
import { buildPod, PodWatch, toLaunchRequest } from '../src';
import { cluster, component, eventually, runInActivity, stepRequest, type Cluster } from './support/cluster';
import { freezeApiServer, privateCluster, restartApiServer, type PrivateCluster } from './support/apiserver';

jest.setTimeout(240_000);

let shared: Cluster;
let own: PrivateCluster;
let kc: KubeConfig;

beforeAll(() => {
  shared = cluster();
  own = privateCluster(`/tmp/kiln-testenv-k8s-restart-${process.getuid?.() ?? 0}`);
  kc = new KubeConfig();
  kc.loadFromFile(own.kubeconfig);
});
afterAll(async () => {
  if (!process.env['KILN_KEEP_PRIVATE_CLUSTER']) own?.down();
  await shared?.cleanup();
});

test('a kube-apiserver restart mid-watch does not lose the step: the activity recovers and returns the outputs', async () => {
  const core = kc.makeApiClient(CoreV1Api);
  const req = stepRequest(
    component(
      ['/bin/sh', '-c', 'echo begin; sleep 12; printf survived > "$0"', { kind: 'outputPath', output: 'status' }],
      {
        outputs: { status: { kind: 'param', type: 'string' } },
      },
    ),
    { outputs: { params: { status: 'string' }, artifacts: {} } },
  );
  const deps = shared.deps({
    kube: kc,
    namespace: own.namespace,
    watch: { timeoutSeconds: 30, inactivityMs: 20_000, pollMs: 2_000 },
  });
  const run = runInActivity(deps, req);
  await eventually(async () => {
    const pods = await core.listNamespacedPod({ namespace: own.namespace, labelSelector: `kiln.dev/run=${req.runId}` });
    return pods.items[0]?.status?.containerStatuses?.find((s) => s.name === 'main')?.state?.running ? true : undefined;
  }, 30_000);

  const beatsBefore = run.heartbeats.length;
  const downFor = await restartApiServer(own.stateDir, own.kubeconfig);
  // Heartbeats come from a timer, so they went on while the API was away.
  expect(run.heartbeats.length).toBeGreaterThan(beatsBefore + Math.floor(downFor / 1_000) - 2);

  const result = await run.result;
  expect(result.outputs.params).toEqual({ status: 'survived' });
  // The succeeded pod's delete is sent without holding up the result: it goes moments later.
  await eventually(async () => {
    const pods = await core.listNamespacedPod({ namespace: own.namespace, labelSelector: `kiln.dev/run=${req.runId}` });
    return pods.items.every((p) => p.metadata?.deletionTimestamp) ? true : undefined;
  });
});

test('an API server that hangs mid-watch (SIGSTOP) is survived: request timeouts and the inactivity watchdog recover the watch', async () => {
  const core = kc.makeApiClient(CoreV1Api);
  const req = stepRequest(
    component(
      ['/bin/sh', '-c', 'echo begin; sleep 3; printf thawed > "$0"', { kind: 'outputPath', output: 'status' }],
      {
        outputs: { status: { kind: 'param', type: 'string' } },
      },
    ),
    { outputs: { params: { status: 'string' }, artifacts: {} } },
  );
  const deps = shared.deps({
    kube: kc,
    namespace: own.namespace,
    requestTimeoutMs: 3_000,
    watch: { timeoutSeconds: 30, inactivityMs: 6_000, pollMs: 2_000 },
  });
  const run = runInActivity(deps, req);
  await eventually(async () => {
    const pods = await core.listNamespacedPod({ namespace: own.namespace, labelSelector: `kiln.dev/run=${req.runId}` });
    return pods.items[0]?.status?.containerStatuses?.find((s) => s.name === 'main')?.state?.running ? true : undefined;
  }, 30_000);

  const beatsBefore = run.heartbeats.length;
  await freezeApiServer(own.stateDir, 15_000);
  expect(run.heartbeats.length).toBeGreaterThanOrEqual(beatsBefore + 12);

  const result = await run.result;
  expect(result.outputs.params).toEqual({ status: 'thawed' });
});

test('a watch that goes silent is abandoned after the inactivity limit and the pod is listed again', async () => {
  const core = makeCoreApi(kc, 2_000);
  const name = `kiln-watchdog-${Date.now().toString(36)}`;
  await core.createNamespacedPod({
    namespace: own.namespace,
    body: {
      metadata: { name },
      spec: {
        restartPolicy: 'Never',
        containers: [{ name: 'main', image: 'alpine:3', command: ['/bin/sh', '-c', 'sleep 60'] }],
      },
    },
  });
  const seen: string[] = [];
  const watch = new PodWatch({
    kc,
    core,
    namespace: own.namespace,
    name,
    inactivityMs: 3_000,
    pollMs: 60_000,
    watchTimeoutSeconds: 60,
    onPod: (pod) => seen.push(pod?.metadata?.resourceVersion ?? 'gone'),
  });
  watch.start();
  try {
    await eventually(async () => (watch.watches >= 1 ? true : undefined));
    expect(watch.lists).toBe(1);
    await freezeApiServer(own.stateDir, 8_000);
    await eventually(async () => (watch.lists >= 2 && watch.watches >= 2 ? true : undefined), 30_000);
  } finally {
    await watch.stop();
    await core.deleteNamespacedPod({ namespace: own.namespace, name, gracePeriodSeconds: 0 }).catch(() => undefined);
  }
  expect(seen.length).toBeGreaterThanOrEqual(2);
});

test('a retried activity reattaching to a pod unchanged since an API server restart is told 410 Gone by the server, relists, and the step completes', async () => {
  const core = kc.makeApiClient(CoreV1Api);
  const req = stepRequest(
    component(['/bin/sh', '-c', 'sleep 25; printf relisted > "$0"', { kind: 'outputPath', output: 'status' }], {
      outputs: { status: { kind: 'param', type: 'string' } },
    }),
    { outputs: { params: { status: 'string' }, artifacts: {} } },
  );
  const troubles: string[] = [];
  const log = { info: () => undefined, warn: () => undefined, debug: (message: string) => void troubles.push(message) };
  // No safety-net GET within the test: only the watch can see the step finish.
  const deps = shared.deps({
    kube: kc,
    namespace: own.namespace,
    log,
    watch: { timeoutSeconds: 60, inactivityMs: 60_000, pollMs: 120_000 },
  });

  // What a first try of the activity leaves behind when its worker dies: the staged request and the running pod.
  const identity = podIdentity(req);
  const requestKey = podRequestKey(locateStep(req).executionKey);
  await deps.store.writeJson(requestKey, toLaunchRequest(locateStep(req)));
  const body = buildPod({
    request: req,
    identity,
    namespace: own.namespace,
    storeUrl: deps.store.url,
    requestKey,
    defaults: { ...deps.pod, launcherImage: deps.launcherImage },
  });
  const created = await core.createNamespacedPod({ namespace: own.namespace, body });
  const running = await eventually(async () => {
    const pod = await core.readNamespacedPod({ namespace: own.namespace, name: identity.name });
    return pod.status?.containerStatuses?.find((s) => s.name === 'main')?.state?.running ? pod : undefined;
  }, 30_000);

  // Writes elsewhere move the store's revision on, as a busy cluster does; the restarted server's watch cache
  // starts at that revision, so it cannot serve events since the pod's own, older one.
  const marker = `kiln-revision-${Date.now().toString(36)}`;
  await core.createNamespacedConfigMap({
    namespace: own.namespace,
    body: { metadata: { name: marker }, data: { a: '1' } },
  });
  await core.deleteNamespacedConfigMap({ namespace: own.namespace, name: marker });
  await restartApiServer(own.stateDir, own.kubeconfig);
  // The pod has not changed since, so its resourceVersion predates everything the new server's watch cache holds.
  const reread = await core.readNamespacedPod({ namespace: own.namespace, name: identity.name });
  expect(reread.metadata?.resourceVersion).toBe(running.metadata?.resourceVersion);

  const heartbeat = { namespace: own.namespace, name: identity.name, uid: created.metadata?.uid ?? '' };
  const result = await runInActivity(deps, req, { heartbeatDetails: heartbeat }).result;

  expect(result.outputs.params).toEqual({ status: 'relisted' });
  expect(troubles).toContainEqual(
    expect.stringMatching(
      new RegExp(`^pod watch from resourceVersion ${running.metadata?.resourceVersion} expired \\(410 Gone\\)`),
    ),
  );
});
