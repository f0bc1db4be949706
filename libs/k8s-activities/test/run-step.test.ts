/**
 * runStep against the real API server and node agent: the step runs as a pod
 * (one launcher sidecar fetching, main, the sidecar publishing) and its outputs come back.
 */
import { labelKeys } from '@kiln/kube';
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
import { launcherFailedExitCode } from '../src/in-pod/layout';

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

test('a step runs as a pod through fetch, main and publish and returns its outputs', async () => {
  await c.store.put('inputs/greeting.txt', 'hello from the store\n');
  const comp = component(
    [
      '/bin/sh',
      '-c',
      'cat "$0" > "$1" && echo "$2" >> "$1" && printf 42 > "$3" && echo step done',
      { kind: 'inputPath', input: 'greeting' },
      { kind: 'outputPath', output: 'copy' },
      { kind: 'inputValue', input: 'suffix' },
      { kind: 'outputPath', output: 'answer' },
    ],
    {
      inputs: { greeting: { kind: 'artifact', type: 'dataset' }, suffix: { kind: 'param', type: 'string' } },
      outputs: { copy: { kind: 'artifact', type: 'dataset' }, answer: { kind: 'param', type: 'int' } },
    },
  );
  const req = stepRequest(comp, {
    inputs: {
      params: { suffix: "and a 'quoted' $value; no shell" },
      artifacts: { greeting: { uri: c.store.uriFor('inputs/greeting.txt'), type: 'dataset', metadata: {} } },
    },
    artifactRoot: c.store.url,
    outputs: { params: { answer: 'int' }, artifacts: { copy: { type: 'dataset' } } },
  });
  runs.push(req.runId);
  const { result, heartbeats } = runInActivity(c.deps(), req);
  const out = await result;

  expect(out.executor).toBe('kubernetes');
  expect(out.outputs.params).toEqual({ answer: 42 });
  expect(out.outputs.artifacts['copy']?.digest).toMatch(/^sha256:/);
  const copy = `runs/k8s-test/${req.runId}/tasks/step/attempt-1/copy`;
  expect(out.outputs.artifacts['copy']?.uri).toBe(c.store.uriFor(copy));
  expect(await c.store.readText(copy)).toBe("hello from the store\nand a 'quoted' $value; no shell\n");
  // The first heartbeat carries the pod's identity.
  expect(heartbeats[0]).toMatchObject({ namespace: c.namespace, name: out.pod?.name, uid: expect.any(String) });
  // Logs were saved before the pod was deleted (delete on success).
  expect(out.logUri).toBeDefined();
  const logText = await c.store.readText(c.store.keyOf(out.logUri ?? ''));
  expect(logText).toContain('step done');
  expect(logText).toContain('outputs published');
  // The delete is sent without holding up the result: the pod goes moments later.
  await eventually(async () =>
    (await podsOfRun(c, req.runId)).every((p) => p.metadata?.deletionTimestamp) ? true : undefined,
  );
  expect(labelKeys.run).toBe('kiln.dev/run');
});

test('a non-zero exit code is a user failure with the exit code and the log tail, and the failed pod is kept', async () => {
  const req = stepRequest(component(['/bin/sh', '-c', 'echo working; echo "something broke" >&2; exit 3']));
  runs.push(req.runId);
  const { failure, details } = await failureOf(runInActivity(c.deps(), req).result);

  expect(failure.type).toBe('KilnUserError');
  // Kept from Temporal's retries by the workflow's policy, not by the failure: the workflow may retry it as a new attempt.
  expect(failure.nonRetryable).toBe(false);
  expect(details).toMatchObject({ reason: 'NonZeroExit', exitCode: 3, pod: { namespace: c.namespace } });
  expect(details.logTail).toContain('something broke');
  expect(await c.store.readText(c.store.keyOf(details.logUri ?? ''))).toContain('working');
  expect(await podsOfRun(c, req.runId)).toHaveLength(1);
});

test('a step over its memory limit is OOMKilled: a user failure that says so', async () => {
  const hog = `const a = []; setInterval(() => a.push(Buffer.alloc(20e6, 1)), 50);`;
  const req = stepRequest(component([process.execPath, '-e', hog]), {
    settings: { resources: { memory: { request: '64Mi', limit: '150Mi' } } },
  });
  runs.push(req.runId);
  const { failure, details } = await failureOf(runInActivity(c.deps(), req).result);

  expect(failure.type).toBe('KilnUserError');
  expect(failure.nonRetryable).toBe(false);
  expect(details).toMatchObject({ reason: 'OOMKilled', exitCode: 137 });
  expect(failure.message).toMatch(/memory limit/);
});

test('a step past its timeout fails with DeadlineExceeded and its pod is stopped', async () => {
  const req = stepRequest(component(['/bin/sh', '-c', 'echo started; exec sleep 60']), {
    settings: { timeoutSeconds: 4 },
  });
  runs.push(req.runId);
  const started = Date.now();
  const { failure, details } = await failureOf(runInActivity(c.deps(), req).result);

  expect(Date.now() - started).toBeLessThan(20_000);
  expect(failure.type).toBe('KilnUserError');
  expect(details.reason).toBe('DeadlineExceeded');
  const [pod] = await podsOfRun(c, req.runId);
  expect(pod === undefined || pod.metadata?.deletionTimestamp !== undefined || pod.status?.phase === 'Failed').toBe(
    true,
  );
});

test("a step writing far more than the log cap keeps its log's head and tail, with a marker of the bytes dropped", async () => {
  // 6 + 200,000 + 5 bytes of output against a cap of 2,000: the first and last 1,000 are kept.
  const write = 'printf "BEGIN\\n"; head -c 200000 /dev/zero | tr "\\0" x; printf "\\nEND\\n"';
  const req = stepRequest(component(['/bin/sh', '-c', write]));
  runs.push(req.runId);
  const out = await runInActivity(c.deps({ logCapBytes: 2000 }), req).result;
  const logText = await c.store.readText(c.store.keyOf(out.logUri ?? ''));
  // The main section runs to the next section (the two-process layout's publish sidecar) or to the end.
  const mainStart = logText.indexOf('===== main =====');
  const next = logText.indexOf('\n===== ', mainStart + 1);
  const main = logText.slice(mainStart, next === -1 ? undefined : next + 1);
  expect(main).toContain('BEGIN\nxxx');
  expect(main).toContain('xxx\nEND\n');
  expect(main).toContain(
    `… ${200_011 - 2000} bytes of output dropped here (the log is capped at 2000 bytes per attempt`,
  );
  expect(main.length).toBeLessThan(2000 + 600);
});

test('when the launcher cannot fetch an input, main never runs the command and the step fails for infrastructure with the launcher’s reason', async () => {
  const missing = `inputs/${Date.now().toString(36)}-never-written.txt`;
  const req = stepRequest(
    component(['/bin/sh', '-c', 'echo command ran; cat "$0"', { kind: 'inputPath', input: 'data' }], {
      inputs: { data: { kind: 'artifact', type: 'dataset' } },
    }),
    { inputs: { params: {}, artifacts: { data: { uri: c.store.uriFor(missing), type: 'dataset', metadata: {} } } } },
  );
  runs.push(req.runId);
  const { failure, details } = await failureOf(runInActivity(c.deps(), req).result);

  expect(failure.type).toBe('KilnInfrastructureError');
  // Main's wrapper saw the launcher's failed file and exited without running the command.
  expect(details).toMatchObject({ reason: 'ArtifactNotFoundError', exitCode: launcherFailedExitCode });
  const log = await c.store.readText(c.store.keyOf(details.logUri ?? ''));
  expect(log).toContain('===== kiln-launcher');
  expect(log).toContain('infrastructure failure (ArtifactNotFoundError)');
  expect(log).not.toContain('command ran');
});
