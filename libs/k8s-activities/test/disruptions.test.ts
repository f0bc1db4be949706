/**
 * Pods lost to the machinery rather than to the step: deleted by someone else,
 * evicted through the Eviction API, evicted by the kubelet. All are
 * infrastructure failures, which Temporal retries on the same attempt.
 */
import { setHeaderOptions, PatchStrategy } from '@kubernetes/client-node';
import { podIdentity } from '@kiln/kube';
import {
  cluster,
  component,
  deleteRunPods,
  eventually,
  failureOf,
  podsOfRun,
  runInActivity,
  stepRequest,
  type Cluster,
} from './support/cluster';

jest.setTimeout(90_000);

let c: Cluster;
const runs: string[] = [];

beforeAll(() => {
  c = cluster();
});
afterAll(async () => {
  await deleteRunPods(c, runs);
  await c.cleanup();
});

function longStep() {
  return stepRequest(component(['/bin/sh', '-c', 'echo working; exec sleep 60']));
}

/** The step's command has started: main runs and has said `working` (main starts beside the launcher and waits for it first). */
async function mainRunning(runId: string): Promise<true | undefined> {
  const [pod] = await podsOfRun(c, runId);
  if (!pod?.status?.containerStatuses?.find((s) => s.name === 'main')?.state?.running) return undefined;
  const log = await c.core
    .readNamespacedPodLog({ namespace: c.namespace, name: pod.metadata?.name ?? '', container: 'main' })
    .catch(() => '');
  return log.includes('working') ? true : undefined;
}

test('a pod deleted by someone else is an infrastructure failure with its log tail', async () => {
  // Like a real workload under `kubectl delete` (grace 30 s by default), the command takes a moment to stop
  // on SIGTERM: the pod stays readable while the worker saves its logs. With a grace of 1 s and a command that
  // dies at once, a loaded machine could remove the pod (and its logs) before the worker's next look.
  const req = stepRequest(
    component(['/bin/sh', '-c', 'trap "echo stopping; sleep 8; exit 143" TERM; echo working; sleep 60 & wait']),
  );
  runs.push(req.runId);
  const run = runInActivity(c.deps(), req);
  await eventually(() => mainRunning(req.runId));
  await c.core.deleteNamespacedPod({ namespace: c.namespace, name: podIdentity(req).name, gracePeriodSeconds: 15 });

  const { failure, details } = await failureOf(run.result);
  expect(failure.type).toBe('KilnInfrastructureError');
  expect(failure.nonRetryable).toBe(false);
  expect(details.reason).toBe('PodDeleted');
  expect(details.logTail).toContain('working');
});

test('a pod evicted through the Eviction API is an infrastructure failure naming the disruption', async () => {
  const req = longStep();
  runs.push(req.runId);
  const run = runInActivity(c.deps(), req);
  await eventually(() => mainRunning(req.runId));
  const name = podIdentity(req).name;
  await c.core.createNamespacedPodEviction({
    namespace: c.namespace,
    name,
    body: { metadata: { name, namespace: c.namespace } },
  });

  const { failure, details } = await failureOf(run.result);
  expect(failure.type).toBe('KilnInfrastructureError');
  expect(details.reason).toBe('DisruptionTarget:EvictionByEvictionAPI');
});

test('a pod the kubelet evicted (phase Failed, reason Evicted) is an infrastructure failure, and the retry replaces it', async () => {
  // The node agent has no node-pressure eviction; the status it would write is written through the real API instead.
  const req = longStep();
  runs.push(req.runId);
  const run = runInActivity(c.deps(), req);
  await eventually(() => mainRunning(req.runId));
  const name = podIdentity(req).name;
  const evicted = {
    status: {
      phase: 'Failed',
      reason: 'Evicted',
      message: 'The node was low on resource: memory.',
      conditions: [
        {
          type: 'DisruptionTarget',
          status: 'True',
          reason: 'TerminationByKubelet',
          message: 'The node was low on resource: memory.',
        },
      ],
    },
  };
  await c.core.patchNamespacedPodStatus(
    { namespace: c.namespace, name, body: evicted },
    setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
  );

  const { failure, details } = await failureOf(run.result);
  expect(failure.type).toBe('KilnInfrastructureError');
  expect(details.reason).toBe('Evicted');
  expect(failure.message).toContain('low on resource');

  // Temporal retries the same attempt: the evicted pod is replaced by a fresh one of the same name.
  const oldUid = (await podsOfRun(c, req.runId))[0]?.metadata?.uid;
  const retry = runInActivity(c.deps(), req);
  await eventually(async () => ((await podsOfRun(c, req.runId))[0]?.metadata?.uid !== oldUid ? true : undefined));
  retry.env.cancel('CANCELLED');
  await retry.result.catch(() => undefined);
});
