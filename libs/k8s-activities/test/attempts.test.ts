/**
 * One pod per attempt, whatever happens to the worker: a second runStep of the
 * same attempt adopts the pod (409), a retried activity reattaches from its
 * heartbeat, cancellation deletes the pod, and worker shutdown leaves it running.
 */
import { ActivityCancellationDetails, CancelledFailure } from '@temporalio/common';
import { podIdentity } from '@kiln/kube';
import { executionKey, stepLogKey } from '@kiln/store-layout';
import { type PodHeartbeat } from '../src';
import {
  cluster,
  component,
  deleteRunPods,
  eventually,
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

/** A step that runs for `seconds` and then writes an output parameter. */
function slowStep(seconds: number) {
  return stepRequest(
    component(
      [
        '/bin/sh',
        '-c',
        `echo begin; sleep ${seconds}; printf done > "$0"; echo end`,
        { kind: 'outputPath', output: 'status' },
      ],
      {
        outputs: { status: { kind: 'param', type: 'string' } },
      },
    ),
    { outputs: { params: { status: 'string' }, artifacts: {} } },
  );
}

/** The step's command has started: main runs and has said `begin` (main starts beside the launcher and waits for it first). */
async function mainRunning(runId: string): Promise<true | undefined> {
  const [pod] = await podsOfRun(c, runId);
  if (!pod?.status?.containerStatuses?.find((s) => s.name === 'main')?.state?.running) return undefined;
  const log = await c.core
    .readNamespacedPodLog({ namespace: c.namespace, name: pod.metadata?.name ?? '', container: 'main' })
    .catch(() => '');
  return log.includes('begin') ? true : undefined;
}

test('a second runStep of the same attempt (a worker crash before the first heartbeat) adopts the pod: exactly one pod runs', async () => {
  const req = slowStep(3);
  runs.push(req.runId);
  const first = runInActivity(c.deps({ cleanup: { deleteSucceeded: false } }), req);
  await eventually(async () => ((await podsOfRun(c, req.runId)).length > 0 ? true : undefined));
  const second = runInActivity(c.deps({ cleanup: { deleteSucceeded: false } }), req);

  const [a, b] = await Promise.all([first.result, second.result]);
  expect(a.outputs.params).toEqual({ status: 'done' });
  expect(b.outputs.params).toEqual({ status: 'done' });
  const pods = await podsOfRun(c, req.runId);
  expect(pods).toHaveLength(1);
  expect(pods[0]?.metadata?.name).toBe(podIdentity(req).name);
});

test('worker shutdown leaves the pod running, and the retried activity reattaches from its heartbeat', async () => {
  const req = slowStep(4);
  runs.push(req.runId);
  const first = runInActivity(c.deps(), req);
  await eventually(() => mainRunning(req.runId));
  first.env.cancel('WORKER_SHUTDOWN', new ActivityCancellationDetails({ workerShutdown: true }));
  await expect(first.result).rejects.toBeInstanceOf(CancelledFailure);

  const [pod] = await podsOfRun(c, req.runId);
  expect(pod?.metadata?.deletionTimestamp).toBeUndefined();
  const last = first.heartbeats.at(-1) as PodHeartbeat;
  expect(last).toMatchObject({ name: pod?.metadata?.name, uid: pod?.metadata?.uid });

  const retry = runInActivity(c.deps(), req, { heartbeatDetails: last });
  const result = await retry.result;
  expect(result.outputs.params).toEqual({ status: 'done' });
  expect(retry.heartbeats[0]).toMatchObject({ uid: pod?.metadata?.uid, detail: 'pod reattached' });
});

test('a retry after the step finished, with its result recorded, returns the result without a new pod', async () => {
  const req = slowStep(0);
  runs.push(req.runId);
  const first = await runInActivity(c.deps(), req).result;
  const again = await runInActivity(c.deps(), req).result;
  expect(again.outputs).toEqual(first.outputs);
  expect((await podsOfRun(c, req.runId)).filter((p) => !p.metadata?.deletionTimestamp)).toHaveLength(0);
});

test('cancelling the activity deletes the pod with a grace period and saves its logs', async () => {
  const req = slowStep(60);
  runs.push(req.runId);
  const run = runInActivity(c.deps(), req);
  await eventually(() => mainRunning(req.runId));
  run.env.cancel('CANCELLED', new ActivityCancellationDetails({ cancelRequested: true }));
  const error = await run.result.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(CancelledFailure);
  // The details name the deleted pod (the workflow records it in the run status) and its saved log.
  expect((error as CancelledFailure).details).toEqual([
    {
      reason: 'Cancelled',
      pod: { namespace: c.namespace, name: podIdentity(req).name },
      logUri: expect.stringContaining(stepLogKey(executionKey(req))),
      logTail: expect.stringContaining('begin'),
    },
  ]);

  await eventually(async () => ((await podsOfRun(c, req.runId)).length === 0 ? true : undefined), 20_000);
  expect(await c.store.readText(stepLogKey(executionKey(req)))).toContain('begin');
});

test('a pod with the same name but not this step identity is never adopted', async () => {
  const req = slowStep(0);
  runs.push(req.runId);
  const name = podIdentity(req).name;
  await c.core.createNamespacedPod({
    namespace: c.namespace,
    body: {
      metadata: { name, labels: { 'kiln.dev/run': req.runId } },
      spec: {
        restartPolicy: 'Never',
        containers: [{ name: 'x', image: 'alpine:3', command: ['/bin/sh', '-c', 'sleep 30'] }],
      },
    },
  });
  const error = await runInActivity(c.deps(), req).result.catch((e: unknown) => e);
  expect(error).toMatchObject({ type: 'KilnConfigurationError', details: [{ reason: 'PodNameConflict' }] });
});

test('a retry reattaching from its heartbeat to a pod that failed for an infrastructure reason replaces it with a fresh pod', async () => {
  // Its input is not in the store yet: the fetch fails (InputFetchFailed, an infrastructure failure).
  const inputKey = `inputs/${Date.now().toString(36)}-late.txt`;
  const req = stepRequest(
    component(
      [
        '/bin/sh',
        '-c',
        'cat "$0" > "$1"',
        { kind: 'inputPath', input: 'late' },
        { kind: 'outputPath', output: 'copy' },
      ],
      {
        inputs: { late: { kind: 'artifact', type: 'dataset' } },
        outputs: { copy: { kind: 'param', type: 'string' } },
      },
    ),
    {
      inputs: { params: {}, artifacts: { late: { uri: c.store.uriFor(inputKey), type: 'dataset', metadata: {} } } },
      outputs: { params: { copy: 'string' }, artifacts: {} },
    },
  );
  runs.push(req.runId);
  // The worker stops right after creating the pod, so no try of the activity sees the pod fail or deletes it.
  const first = runInActivity(c.deps(), req);
  first.env.once('heartbeat', () =>
    first.env.cancel('WORKER_SHUTDOWN', new ActivityCancellationDetails({ workerShutdown: true })),
  );
  await expect(first.result).rejects.toBeInstanceOf(CancelledFailure);
  const last = first.heartbeats.at(-1) as PodHeartbeat;
  const failed = await eventually(async () => {
    const [pod] = await podsOfRun(c, req.runId);
    return pod?.status?.phase === 'Failed' ? pod : undefined;
  }, 30_000);
  expect(failed.metadata?.uid).toBe(last.uid);

  await c.store.put(inputKey, 'arrived\n');
  const retry = runInActivity(c.deps(), req, { heartbeatDetails: last });
  const out = await retry.result;
  expect(out.outputs.params).toEqual({ copy: 'arrived' });
  expect(retry.heartbeats[0]).toMatchObject({ name: podIdentity(req).name, detail: 'pod replaced' });
  expect((retry.heartbeats[0] as PodHeartbeat).uid).not.toBe(last.uid);
});
