/**
 * Pods that never run: no node fits, the image name is invalid, the image
 * cannot be pulled. Each fails with its own reason, when the checklist says.
 */
import {
  cluster,
  component,
  deleteRunPods,
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

test('a GPU request on a node without GPUs fails after the schedule timeout with the scheduler reason', async () => {
  const req = stepRequest(component(['/bin/sh', '-c', 'echo never']), {
    settings: { resources: { gpu: { count: 1 } } },
  });
  runs.push(req.runId);
  const started = Date.now();
  const { failure, details } = await failureOf(
    runInActivity(c.deps({ timeouts: { scheduleTimeoutMs: 4_000 } }), req).result,
  );

  const took = Date.now() - started;
  // Measured from the pod's creationTimestamp, which has whole-second resolution (truncated).
  expect(took).toBeGreaterThanOrEqual(3_000);
  expect(took).toBeLessThan(30_000);
  expect(failure.type).toBe('KilnInfrastructureError');
  expect(failure.nonRetryable).toBe(false);
  expect(details.reason).toBe('Unschedulable');
  expect(failure.message).toMatch(/not scheduled within 4 s: .*Insufficient nvidia\.com\/gpu/);
});

test('an invalid image name fails at once as a configuration error, without a pod', async () => {
  const req = stepRequest(component(['/bin/sh', '-c', 'echo never'], { image: 'Not A Valid/Image::name' }));
  runs.push(req.runId);
  const started = Date.now();
  const { failure, details } = await failureOf(runInActivity(c.deps(), req).result);

  expect(Date.now() - started).toBeLessThan(2_000);
  expect(await podsOfRun(c, req.runId)).toHaveLength(0);
  expect(failure.type).toBe('KilnConfigurationError');
  expect(failure.nonRetryable).toBe(true);
  expect(details.reason).toBe('InvalidImageName');
  expect(failure.message).toContain('Not A Valid/Image::name');
});

test('an image that cannot be pulled is tolerated for the grace window, then fails as infrastructure', async () => {
  // The node agent fails pulls of images matching "does-not-exist" (ErrImagePull, then ImagePullBackOff).
  const req = stepRequest(component(['/bin/sh', '-c', 'echo never'], { image: 'registry.example/does-not-exist:1' }));
  runs.push(req.runId);
  const started = Date.now();
  const { failure, details } = await failureOf(
    runInActivity(c.deps({ timeouts: { imagePullGraceMs: 5_000 } }), req).result,
  );

  const took = Date.now() - started;
  expect(took).toBeGreaterThanOrEqual(5_000);
  // Generous: the pull only starts after the launcher init containers, which take seconds on a busy machine.
  expect(took).toBeLessThan(60_000);
  expect(failure.type).toBe('KilnInfrastructureError');
  expect(failure.nonRetryable).toBe(false);
  expect(details.reason).toBe('ImagePullBackOff');
  expect(failure.message).toContain('registry.example/does-not-exist:1');
  expect(await podsOfRun(c, req.runId)).toHaveLength(1);
});
