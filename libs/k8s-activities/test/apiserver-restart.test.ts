/**
 * The API server goes away mid-watch and comes back: the activity keeps
 * heartbeating, its watch relists, and the step finishes with its outputs.
 * A frozen API server (connections open, nothing said) is survived too.
 * Runs on a private cluster so neither disturbs any other suite.
 */
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { makeCoreApi, PodWatch } from '../src';
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
    component(['/bin/sh', '-c', 'echo begin; sleep 12; printf survived > "$0"', { kind: 'outputPath', output: 'status' }], {
      outputs: { status: { kind: 'param', type: 'string' } },
    }),
    { outputs: { params: { status: 'string' }, artifacts: {} } },
  );
  const deps = shared.deps({ kube: kc, namespace: own.namespace, watch: { timeoutSeconds: 30, inactivityMs: 20_000, pollMs: 2_000 } });
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
  const pods = await core.listNamespacedPod({ namespace: own.namespace, labelSelector: `kiln.dev/run=${req.runId}` });
  expect(pods.items.filter((p) => !p.metadata?.deletionTimestamp)).toHaveLength(0);
});

test('an API server that hangs mid-watch (SIGSTOP) is survived: request timeouts and the inactivity watchdog recover the watch', async () => {
  const core = kc.makeApiClient(CoreV1Api);
  const req = stepRequest(
    component(['/bin/sh', '-c', 'echo begin; sleep 3; printf thawed > "$0"', { kind: 'outputPath', output: 'status' }], {
      outputs: { status: { kind: 'param', type: 'string' } },
    }),
    { outputs: { params: { status: 'string' }, artifacts: {} } },
  );
  const deps = shared.deps({ kube: kc, namespace: own.namespace, requestTimeoutMs: 3_000, watch: { timeoutSeconds: 30, inactivityMs: 6_000, pollMs: 2_000 } });
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
    body: { metadata: { name }, spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'alpine:3', command: ['/bin/sh', '-c', 'sleep 60'] }] } },
  });
  const seen: string[] = [];
  const watch = new PodWatch({ kc, core, namespace: own.namespace, name, inactivityMs: 3_000, pollMs: 60_000, watchTimeoutSeconds: 60, onPod: (pod) => seen.push(pod?.metadata?.resourceVersion ?? 'gone') });
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
