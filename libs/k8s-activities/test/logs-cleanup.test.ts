/**
 * Logs while a step runs and pods after it: following a running container's
 * log through the API until it ends, deleting an absent pod, and collecting
 * failed pods once their TTL (the executor's, or the step's own) is over.
 */
import { PassThrough } from 'node:stream';
import { annotationKeys, followContainerLog, podIdentity } from '@kiln/kube';
import { collectFinishedPods, deletePod } from '../src';
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

jest.setTimeout(60_000);

let c: Cluster;
const runs: string[] = [];

beforeAll(() => {
  c = cluster();
});
afterAll(async () => {
  await deleteRunPods(c, runs);
  await c.cleanup();
});

test('the main container log streams while the step runs and the stream ends when the container does', async () => {
  const req = stepRequest(component(['/bin/sh', '-c', 'for i in 1 2 3 4 5; do echo "line $i"; sleep 0.5; done']));
  runs.push(req.runId);
  const run = runInActivity(c.deps(), req);
  const name = podIdentity(req).name;
  await eventually(async () =>
    (await podsOfRun(c, req.runId))[0]?.status?.containerStatuses?.[0]?.state?.running ? true : undefined,
  );

  const out = new PassThrough();
  let text = '';
  const seenWhileRunning: string[] = [];
  out.on('data', (chunk: Buffer) => {
    text += chunk.toString();
    seenWhileRunning.push(chunk.toString());
  });
  await followContainerLog({ kc: c.kc, core: c.core, namespace: c.namespace, name, out, recheckMs: 2_000 });

  expect(text).toBe('line 1\nline 2\nline 3\nline 4\nline 5\n');
  expect(seenWhileRunning.length).toBeGreaterThan(1); // arrived in pieces, not at the end
  await run.result;
});

test('deleting a pod that does not exist is a success', async () => {
  await expect(deletePod(c.core, { namespace: c.namespace, name: 'kiln-no-such-pod-a1-000000000000' })).resolves.toBe(
    false,
  );
});

test('failed pods are kept until their TTL is over, then collected', async () => {
  const req = stepRequest(component(['/bin/sh', '-c', 'exit 1']));
  runs.push(req.runId);
  await failureOf(runInActivity(c.deps(), req).result);
  const name = podIdentity(req).name;
  await eventually(async () => ((await podsOfRun(c, req.runId))[0]?.status?.phase === 'Failed' ? true : undefined));

  expect(
    await collectFinishedPods(c.core, c.namespace, { deleteSucceeded: true, failedPodTtlSeconds: 3600 }),
  ).not.toContain(name);
  expect(await podsOfRun(c, req.runId)).toHaveLength(1);
  const later = Date.now() + 2 * 3600_000;
  expect(
    await collectFinishedPods(c.core, c.namespace, { deleteSucceeded: true, failedPodTtlSeconds: 3600 }, later),
  ).toContain(name);
  await eventually(async () => ((await podsOfRun(c, req.runId)).length === 0 ? true : undefined));
});

test("a step's own podTtlSeconds decides how long its failed pod is kept, over the executor's default", async () => {
  const own = stepRequest(component(['/bin/sh', '-c', 'exit 1']), { podTtlSeconds: 60 });
  const byDefault = stepRequest(component(['/bin/sh', '-c', 'exit 1']));
  runs.push(own.runId, byDefault.runId);
  await Promise.all([
    failureOf(runInActivity(c.deps(), own).result),
    failureOf(runInActivity(c.deps(), byDefault).result),
  ]);
  const failed = async (runId: string) =>
    (await podsOfRun(c, runId))[0]?.status?.phase === 'Failed' ? true : undefined;
  await eventually(() => failed(own.runId));
  await eventually(() => failed(byDefault.runId));
  const [ownPod] = await podsOfRun(c, own.runId);
  expect(ownPod?.metadata?.annotations?.[annotationKeys.failedPodTtlSeconds]).toBe('60');

  const policy = { deleteSucceeded: true, failedPodTtlSeconds: 3600 };
  expect(await collectFinishedPods(c.core, c.namespace, policy)).not.toContain(podIdentity(own).name);
  const twoMinutesLater = Date.now() + 120_000;
  const collected = await collectFinishedPods(c.core, c.namespace, policy, twoMinutesLater);
  expect(collected).toContain(podIdentity(own).name);
  expect(collected).not.toContain(podIdentity(byDefault).name);
  expect(await podsOfRun(c, byDefault.runId)).toHaveLength(1);
});

test('podTtlSeconds 0 deletes the failed pod as soon as its logs are saved', async () => {
  const req = stepRequest(component(['/bin/sh', '-c', 'echo about to fail; exit 2']), { podTtlSeconds: 0 });
  runs.push(req.runId);
  const { details } = await failureOf(runInActivity(c.deps(), req).result);

  expect(details).toMatchObject({ reason: 'NonZeroExit', exitCode: 2 });
  expect(await c.store.readText(c.store.keyOf(details.logUri ?? ''))).toContain('about to fail');
  await eventually(async () => ((await podsOfRun(c, req.runId)).length === 0 ? true : undefined));
});
