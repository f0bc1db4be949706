import { execFileSync, spawn } from 'node:child_process';
import { closeSync, constants, existsSync, openSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import { openStore, type ArtifactStore } from '@kiln/artifacts';
import type {
  KilnActivities,
  LegacyStepRequest,
  StepFailureDetails,
  StepRequest,
  StepResult,
} from '@kiln/engine-contract';
import type { Arg, Component, IoSpec } from '@kiln/ir';
import { launcherBundleCommand, type ExecutorOutput } from '@kiln/launcher';
import { executionKey, executorOutputKey, stepLogKey } from '@kiln/store-layout';
import { getTestEnvironment } from '@kiln/testenv';
import { createLocalExecutorActivities, type StepHeartbeat } from '../src';

// Activity failures are the point of several tests; keep the SDK's warnings out of the output.
const mockEnv = () => new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') });

let dir: string;
let store: ArtifactStore;
let activities: KilnActivities;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiln-activities-'));
  store = openStore(`file://${dir}/store`);
  activities = createLocalExecutorActivities({ store, workRoot: join(dir, 'work'), heartbeatMs: 200, graceMs: 2000 });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function component(command: Arg[], outputs: Record<string, IoSpec> = {}): Component {
  return { name: 'step', inputs: {}, outputs, implementation: { type: 'container', image: 'busybox', command } };
}

let n = 0;
function stepRequest(comp: Component, extra: Partial<StepRequest> = {}): StepRequest {
  const id = ++n;
  return {
    runId: `run-${id}`,
    workflowId: `wf-${id}`,
    pipelineName: 'demo',
    taskId: 'step',
    iteration: [],
    attempt: 1,
    artifactRoot: store.url,
    summary: 'step',
    componentId: 'step',
    component: comp,
    inputs: { params: {}, artifacts: {} },
    outputs: { params: {}, artifacts: {} },
    settings: {},
    executor: 'local',
    ...extra,
  };
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the activity to fail');
    },
    (e: unknown) => e,
  );
}

function isAlive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

const launcherModes = ['in-process', 'process'] as const;

describe.each(launcherModes)('runStep (local executor, launcher %s)', (launcherMode) => {
  beforeEach(() => {
    activities = createLocalExecutorActivities({
      store,
      workRoot: join(dir, 'work'),
      heartbeatMs: 200,
      graceMs: 2000,
      launcherMode,
    });
  });

  test('runs the step and returns its result with output digests', async () => {
    const comp = component(
      [
        'sh',
        '-c',
        'printf hi > "$0"; echo 5 > "$1"',
        { kind: 'outputPath', output: 'data' },
        { kind: 'outputPath', output: 'n' },
      ],
      {
        data: { kind: 'artifact', type: 'dataset' },
        n: { kind: 'param', type: 'int' },
      },
    );
    const req = stepRequest(comp, { outputs: { params: { n: 'int' }, artifacts: { data: { type: 'dataset' } } } });
    const result: StepResult = await mockEnv().run(activities.runStep, req);
    // Where the attempt's outputs go follows from its identity (store-layout).
    const uri = store.uriFor(`runs/demo/${req.runId}/tasks/step/attempt-1/data`);
    expect(await store.readText(store.keyOf(uri))).toBe('hi');
    expect(result).toMatchObject({
      exitCode: 0,
      executor: 'local',
      outputs: { params: { n: 5 }, artifacts: { data: { uri, type: 'dataset' } } },
    });
    expect(result.outputs.artifacts['data']?.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(result.logUri).toBe(store.uriFor(`executions/${req.runId}.step.1/log.txt`));
  });

  test('a request from an older history keeps the execution key and output URIs it carries', async () => {
    const comp = component(['sh', '-c', 'printf old > "$0"', { kind: 'outputPath', output: 'data' }], {
      data: { kind: 'artifact', type: 'dataset' },
    });
    const { artifactRoot: _root, ...identity } = stepRequest(comp);
    const uri = store.uriFor(`runs/${identity.runId}/step/attempt-1/data`);
    const legacy: LegacyStepRequest = {
      ...identity,
      executionKey: `${identity.runId}.step.1`,
      outputs: { params: {}, artifacts: { data: { uri, type: 'dataset' } } },
    };
    const result: StepResult = await mockEnv().run(activities.runStep, legacy);
    expect(result.outputs.artifacts['data']).toMatchObject({ uri, type: 'dataset' });
    expect(await store.readText(store.keyOf(uri))).toBe('old');
    expect(result.logUri).toBe(store.uriFor(stepLogKey(legacy.executionKey)));
  });

  test("runs a python component (the shim is found from this mode's entry)", async () => {
    const comp: Component = {
      name: 'py',
      inputs: { nItems: { kind: 'param', type: 'int' } },
      outputs: { total: { kind: 'param', type: 'int' }, metrics: { kind: 'artifact', type: 'metrics' } },
      implementation: {
        type: 'python',
        image: 'python:3.11',
        packages: [],
        entrypoint: 'main',
        source:
          'def main(n_items, metrics):\n    metrics.log_metric("n", n_items)\n    return {"total": n_items * 2}\n',
      },
    };
    const req = stepRequest(comp, {
      inputs: { params: { nItems: 21 }, artifacts: {} },
      outputs: { params: { total: 'int' }, artifacts: { metrics: { type: 'metrics' } } },
    });
    const result: StepResult = await mockEnv().run(activities.runStep, req);
    expect(result.outputs.params).toEqual({ total: 42 });
    expect(result.outputs.artifacts['metrics']?.metadata).toEqual({ n: 21 });
  });

  test('heartbeats on a timer with the phase and log progress', async () => {
    const env = mockEnv();
    const beats: Array<{ phase: string; logLines: number }> = [];
    env.on('heartbeat', (d: { phase: string; logLines: number }) => beats.push(d));
    await env.run(activities.runStep, stepRequest(component(['sh', '-c', 'echo working; sleep 1.2'])));
    expect(beats.length).toBeGreaterThanOrEqual(4);
    expect(beats.some((b) => b.phase === 'running' && b.logLines > 0)).toBe(true);
  });

  test('a non-zero exit is a KilnUserError with exit code and log tail in details', async () => {
    const error = await failureOf(
      mockEnv().run(activities.runStep, stepRequest(component(['sh', '-c', 'echo boom >&2; exit 4']))),
    );
    expect(error).toBeInstanceOf(ApplicationFailure);
    const failure = error as ApplicationFailure;
    expect(failure.type).toBe('KilnUserError');
    // The workflow retries user failures as new attempts: the failure must not say it will never be retried.
    expect(failure.nonRetryable).toBe(false);
    const details = failure.details?.[0] as StepFailureDetails;
    expect(details).toMatchObject({ reason: 'NonZeroExit', exitCode: 4 });
    expect(details.logTail).toContain('boom');
    expect(details.logUri).toMatch(/^file:\/\//);
  });

  test('an unresolvable placeholder is a non-retryable KilnConfigurationError', async () => {
    const error = await failureOf(
      mockEnv().run(activities.runStep, stepRequest(component(['echo', { kind: 'inputValue', input: 'ghost' }]))),
    );
    expect(error).toMatchObject({ type: 'KilnConfigurationError', nonRetryable: true });
  });

  test('the command runs in its own process group, started by the spawn helper (in-process) or the launcher (process mode)', async () => {
    const ids = join(dir, 'ids');
    // Fields 4 and 5 of /proc/<pid>/stat: parent pid and process group id; then the parent's own parent and command line.
    const script = [
      `cut -d' ' -f4,5 /proc/$$/stat > ${ids}`,
      `echo $$ >> ${ids}`,
      `cut -d' ' -f4 /proc/$PPID/stat >> ${ids}`,
      `tr '\\0' ' ' < /proc/$PPID/cmdline >> ${ids}`,
    ].join('; ');
    await mockEnv().run(activities.runStep, stepRequest(component(['sh', '-c', script])));
    const [parentAndGroup = '', self = '', grandparent = '', parentCommand = ''] = (await readFile(ids, 'utf8'))
      .trim()
      .split('\n');
    const [parent, group] = parentAndGroup.split(' ').map(Number);
    expect(group).toBe(Number(self));
    expect(group).not.toBe(process.pid);
    // One process between the worker and the command either way: never the ~400 MiB worker forking per step.
    expect(parent).not.toBe(process.pid);
    expect(Number(grandparent)).toBe(process.pid);
    if (launcherMode === 'in-process') expect(parentCommand).toMatch(/node -e/);
    else expect(parentCommand).toMatch(/launcher/);
  });

  test('cancellation stops the whole process tree and ends in CancelledFailure', async () => {
    const pids = join(dir, 'pids');
    const comp = component(['sh', '-c', `sleep 300 & echo $! > ${pids}.bg; echo $$ > ${pids}.main; wait`]);
    const env = mockEnv();
    const running = env.run(activities.runStep, stepRequest(comp));
    while (!existsSync(`${pids}.main`) || !existsSync(`${pids}.bg`)) await new Promise((r) => setTimeout(r, 25));
    await new Promise((r) => setTimeout(r, 50));
    const main = Number((await readFile(`${pids}.main`, 'utf8')).trim());
    const bg = Number((await readFile(`${pids}.bg`, 'utf8')).trim());
    expect(isAlive(main) && isAlive(bg)).toBe(true);
    env.cancel();
    const error = await failureOf(running);
    expect(error).toBeInstanceOf(CancelledFailure);
    expect(isAlive(main)).toBe(false);
    expect(isAlive(bg)).toBe(false);
  });

  test('a step whose executor-output record already exists is not run again', async () => {
    const marker = join(dir, 'ran');
    const req = stepRequest(component(['touch', marker]));
    const key = executionKey(req);
    const recorded: ExecutorOutput = {
      executionKey: key,
      exitCode: 0,
      startedAt: '2024-01-01T00:00:00.000Z',
      finishedAt: '2024-01-01T00:00:01.000Z',
      logUri: store.uriFor(stepLogKey(key)),
      outputs: { params: { answer: 42 }, artifacts: {} },
      metrics: {},
    };
    await store.writeJson(executorOutputKey(key), recorded);
    const result = await mockEnv().run(activities.runStep, req);
    expect(result).toMatchObject({ exitCode: 0, startedAt: recorded.startedAt, outputs: { params: { answer: 42 } } });
    expect(existsSync(marker)).toBe(false);
  });

  test('settings.env reaches the command and settings.timeoutSeconds stops it as DeadlineExceeded', async () => {
    const greeting = join(dir, 'greeting');
    const comp = component(['sh', '-c', `echo "$GREETING" > ${greeting}; sleep 5`]);
    const error = await failureOf(
      mockEnv().run(
        activities.runStep,
        stepRequest(comp, { settings: { env: { GREETING: 'hello' }, timeoutSeconds: 1 } }),
      ),
    );
    expect(error).toMatchObject({ type: 'KilnUserError' });
    expect(((error as ApplicationFailure).details?.[0] as StepFailureDetails).reason).toBe('DeadlineExceeded');
    expect((await readFile(greeting, 'utf8')).trim()).toBe('hello');
  });

  test('heartbeats name the host and the process groups with their start times, so a retry can find them', async () => {
    const env = mockEnv();
    const beats: StepHeartbeat[] = [];
    env.on('heartbeat', (d: StepHeartbeat) => beats.push(d));
    const own = join(dir, 'own-stat');
    // The command's own pid and start time (fields 1 and 22; the name "(sh)" holds no space).
    await env.run(
      activities.runStep,
      stepRequest(component(['sh', '-c', `cut -d' ' -f1,22 /proc/$$/stat > ${own}; sleep 0.6`])),
    );
    const [pid, startTime] = readFileSync(own, 'utf8').trim().split(' ');
    const last = beats.at(-1) as StepHeartbeat;
    expect(last).toMatchObject({ host: hostname(), pid: Number(pid), pidStartTime: startTime });
    if (launcherMode === 'process')
      expect(last).toMatchObject({
        launcherPid: expect.any(Number),
        launcherStartTime: expect.stringMatching(/^\d+$/),
      });
    else expect(last.launcherPid).toBeUndefined();
  });
});

describe('launcher modes', () => {
  test('a launcher process that dies without a result is a retryable KilnInfrastructureError', async () => {
    const crashing = createLocalExecutorActivities({
      store,
      workRoot: join(dir, 'work'),
      launcherCommand: ['sh', '-c', 'echo dying >&2; kill -9 $$'],
    });
    const error = await failureOf(mockEnv().run(crashing.runStep, stepRequest(component(['true']))));
    expect(error).toMatchObject({ type: 'KilnInfrastructureError', nonRetryable: false });
    expect(((error as ApplicationFailure).details?.[0] as StepFailureDetails).reason).toBe('LauncherCrashed');
  });

  test('an in-process launcher that cannot make its work folder is a retryable KilnInfrastructureError', async () => {
    const blocker = join(dir, 'not-a-folder');
    await writeFile(blocker, '');
    const blocked = createLocalExecutorActivities({
      store,
      workRoot: join(blocker, 'work'),
      launcherMode: 'in-process',
    });
    const error = await failureOf(mockEnv().run(blocked.runStep, stepRequest(component(['true']))));
    expect(error).toMatchObject({ type: 'KilnInfrastructureError', nonRetryable: false });
    expect(((error as ApplicationFailure).details?.[0] as StepFailureDetails).reason).toBe('LauncherError');
  });

  test('a cancelled in-process launcher stuck in store I/O still ends the attempt as cancelled after twice the grace period', async () => {
    // A named pipe as a store entry: reading it blocks until a writer appears, a real store that does not answer.
    const fifo = join(dir, 'store', 'stuck');
    await mkdir(join(dir, 'store'), { recursive: true });
    execFileSync('mkfifo', [fifo]);
    const stuck = createLocalExecutorActivities({
      store,
      workRoot: join(dir, 'work'),
      launcherMode: 'in-process',
      graceMs: 300,
      heartbeatMs: 100,
    });
    const req = stepRequest(component(['true']), {
      inputs: { params: {}, artifacts: { data: { uri: store.uriFor('stuck'), type: 'dataset', metadata: {} } } },
    });
    const env = mockEnv();
    const phases: string[] = [];
    env.on('heartbeat', (d: { phase: string }) => phases.push(d.phase));
    const running = env.run(stuck.runStep, req);
    try {
      await new Promise((r) => setTimeout(r, 300));
      const cancelledAt = Date.now();
      env.cancel();
      const error = await failureOf(running);
      expect(error).toBeInstanceOf(CancelledFailure);
      expect((error as CancelledFailure).message).toMatch(/did not finish within 600 ms of the cancellation/);
      expect(Date.now() - cancelledAt).toBeGreaterThanOrEqual(550);
      expect(phases).toContain('fetching-inputs');
    } finally {
      // Unblock the reader (it is waiting, so a non-blocking open for writing succeeds), put a plain file in the pipe's
      // place for the copy that follows, and let the abandoned launcher finish: it saves the attempt's log.
      const writer = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
      await rm(fifo);
      await writeFile(fifo, 'late bytes');
      closeSync(writer);
    }
    const log = stepLogKey(executionKey(req));
    while (!(await store.exists(log))) await new Promise((r) => setTimeout(r, 25));
    expect(await store.exists(executorOutputKey(executionKey(req)))).toBe(false);
  });

  test('a launcher command with launcherMode in-process is refused, naming both options', () => {
    expect(() =>
      createLocalExecutorActivities({ store, launcherMode: 'in-process', launcherCommand: ['node', 'cli.js'] }),
    ).toThrow(/launcherCommand and launcherCwd apply to launcherMode 'process' only/);
  });
});

/** A real file:// store in a temp folder, or a fresh prefix of the test MinIO. */
const storeBackends = [
  { name: 'file', open: () => openStore(`file://${dir}/malformed`) },
  {
    name: 's3',
    open: () => {
      const { minio } = getTestEnvironment(['minio']);
      return openStore(`s3://${minio.bucket}/local-executor/${randomUUID()}`, {
        s3: { endpoint: minio.endpoint, accessKey: minio.accessKey, secretKey: minio.secretKey },
      });
    },
  },
];

describe.each(storeBackends)('a malformed executor-output record ($name store)', ({ open }) => {
  test('fails the attempt for good, naming the key and what is wrong, and does not run the step', async () => {
    const target = open();
    const marker = join(dir, 'ran');
    const req = stepRequest(component(['touch', marker]), { artifactRoot: target.url });
    const key = executorOutputKey(executionKey(req));
    // Written by something else: the exit code is text and the log is missing.
    await target.writeJson(key, { executionKey: executionKey(req), exitCode: 'zero', outputs: {}, metrics: {} });
    try {
      const local = createLocalExecutorActivities({ store: target, workRoot: join(dir, 'work') });
      const error = await failureOf(mockEnv().run(local.runStep, req));
      expect(error).toMatchObject({ type: 'KilnConfigurationError', nonRetryable: true });
      expect(((error as ApplicationFailure).details?.[0] as StepFailureDetails).reason).toBe('InvalidStoreRecord');
      expect((error as Error).message).toContain(`the store record ${key} is not valid: $.exitCode: `);
      expect((error as Error).message).toContain('$.logUri: ');
      expect(existsSync(marker)).toBe(false);
    } finally {
      await target.delete(key);
    }
  });
});

describe('caching', () => {
  const comp = component(['true']);
  const lookup = (
    artifacts: Record<string, { uri: string; type: 'dataset'; metadata: Record<string, never> }>,
    params = {},
    extra = {},
  ) =>
    activities.lookupCache({
      pipelineName: 'demo',
      taskId: 't',
      component: comp,
      inputs: { params, artifacts },
      outputs: { params: { n: 'int' }, artifacts: {} },
      ...extra,
    });
  const ref = (uri: string) => ({ uri, type: 'dataset' as const, metadata: {} });

  test('the fingerprint follows input artifact content, not its URI', async () => {
    await store.put('a/data.csv', 'x,y\n1,2\n');
    await store.put('b/other-name.csv', 'x,y\n1,2\n');
    const first = await lookup({ data: ref(store.uriFor('a/data.csv')) });
    const sameContentElsewhere = await lookup({ data: ref(store.uriFor('b/other-name.csv')) });
    expect(sameContentElsewhere.fingerprint).toBe(first.fingerprint);
    await store.put('a/data.csv', 'x,y\n1,3\n');
    const changed = await lookup({ data: ref(store.uriFor('a/data.csv')) });
    expect(changed.fingerprint).not.toBe(first.fingerprint);
  });

  test('the fingerprint follows params, the cache key and the component implementation', async () => {
    const base = await lookup({}, { n: 1 });
    expect((await lookup({}, { n: 2 })).fingerprint).not.toBe(base.fingerprint);
    expect((await lookup({}, { n: 1 }, { key: 'v2' })).fingerprint).not.toBe(base.fingerprint);
    const other = await activities.lookupCache({
      pipelineName: 'demo',
      taskId: 't',
      component: component(['false']),
      inputs: { params: { n: 1 }, artifacts: {} },
      outputs: { params: { n: 'int' }, artifacts: {} },
    });
    expect(other.fingerprint).not.toBe(base.fingerprint);
    expect((await lookup({}, { n: 1 })).fingerprint).toBe(base.fingerprint);
  });

  test('a saved step is a hit, a stale one or one whose outputs were deleted is a miss', async () => {
    const { fingerprint, hit } = await lookup({}, { n: 1 });
    expect(hit).toBeUndefined();
    await store.put('runs/r0/out.txt', 'o');
    const result = {
      exitCode: 0,
      outputs: {
        params: { n: 1 },
        artifacts: { out: { uri: store.uriFor('runs/r0/out.txt'), type: 'artifact' as const, metadata: {} } },
      },
      startedAt: 's',
      finishedAt: 'f',
      executor: 'local' as const,
    };
    await activities.saveCache({ fingerprint, runId: 'r0', taskId: 't', result });
    expect((await lookup({}, { n: 1 })).hit).toMatchObject({ runId: 'r0', result });
    await new Promise((r) => setTimeout(r, 1100));
    expect((await lookup({}, { n: 1 }, { maxStalenessSeconds: 1 })).hit).toBeUndefined();
    expect((await lookup({}, { n: 1 }, { maxStalenessSeconds: 60 })).hit).toBeDefined();
    await store.delete('runs/r0/out.txt');
    expect((await lookup({}, { n: 1 })).hit).toBeUndefined();
  });
});

describe('a retry after the worker died mid-step', () => {
  const orphans: number[] = [];
  afterEach(() => {
    for (const pid of orphans.splice(0)) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
  /** A detached `sleep` standing in for a step's command that a killed worker left running, with its heartbeat identity. */
  function orphan(): { pid: number; startTime: string; exited: Promise<unknown> } {
    const child = spawn('sleep', ['300'], { detached: true, stdio: 'ignore' });
    const pid = child.pid as number;
    const startTime = readFileSync(`/proc/${pid}/stat`, 'utf8').trim().split(') ')[1]?.split(' ')[19] as string;
    orphans.push(pid);
    return { pid, startTime, exited: new Promise((resolveExit) => child.once('exit', resolveExit)) };
  }
  const retryEnv = (heartbeatDetails: Partial<StepHeartbeat>) =>
    new MockActivityEnvironment({ heartbeatDetails, attempt: 2 }, { logger: new DefaultLogger('ERROR') });

  test('kills the process group the previous try left running on this host before running the step again', async () => {
    const left = orphan();
    const warnings: string[] = [];
    const logged = createLocalExecutorActivities({
      store,
      workRoot: join(dir, 'work'),
      log: { debug: () => undefined, info: () => undefined, warn: (message) => warnings.push(message) },
    });
    const previous: StepHeartbeat = {
      phase: 'running',
      elapsedSeconds: 3,
      logLines: 1,
      host: hostname(),
      pid: left.pid,
      pidStartTime: left.startTime,
    };
    const result: StepResult = await retryEnv(previous).run(logged.runStep, stepRequest(component(['true'])));
    expect(result.exitCode).toBe(0);
    await left.exited;
    expect(isAlive(left.pid)).toBe(false);
    expect(warnings).toContain('stopped the process group a previous try of this step left running (its worker died)');
  });

  test('leaves a process alone when its start time differs (a recycled pid) or the previous try ran on another host', async () => {
    const recycled = orphan();
    const elsewhere = orphan();
    await retryEnv({ host: hostname(), pid: recycled.pid, pidStartTime: String(Number(recycled.startTime) - 1) }).run(
      activities.runStep,
      stepRequest(component(['true'])),
    );
    await retryEnv({ host: `not-${hostname()}`, pid: elsewhere.pid, pidStartTime: elsewhere.startTime }).run(
      activities.runStep,
      stepRequest(component(['true'])),
    );
    await new Promise((r) => setTimeout(r, 100));
    expect(isAlive(recycled.pid)).toBe(true);
    expect(isAlive(elsewhere.pid)).toBe(true);
  });
});

describe.each(launcherModes)('the step environment (launcher %s, MinIO store)', (launcherMode) => {
  // A launcher process per step (and its first bundle) on a loaded machine takes more than jest's default 5 s.
  jest.setTimeout(60_000);
  const workerSecrets = ['KILN_S3_ENDPOINT', 'KILN_S3_ACCESS_KEY', 'KILN_S3_SECRET_KEY', 'AWS_SECRET_ACCESS_KEY'];
  const saved: Record<string, string | undefined> = {};
  beforeEach(() => {
    for (const name of [...workerSecrets, 'TEMPORAL_ADDRESS']) saved[name] = process.env[name];
    const { minio } = getTestEnvironment(['minio']);
    // The worker's store credentials come from its environment, as a deployed worker's do.
    process.env['KILN_S3_ENDPOINT'] = minio.endpoint;
    process.env['KILN_S3_ACCESS_KEY'] = minio.accessKey;
    process.env['KILN_S3_SECRET_KEY'] = minio.secretKey;
    process.env['AWS_SECRET_ACCESS_KEY'] = 'aws-secret-of-the-worker';
    process.env['TEMPORAL_ADDRESS'] = 'temporal.internal:7233';
  });
  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  test("a step sees its declared env, PATH and HOME, never the worker's store or Temporal credentials", async () => {
    const { minio } = getTestEnvironment(['minio']);
    const s3 = openStore(`s3://${minio.bucket}/local-executor/${randomUUID()}`);
    // Jest gives each test file its own copy of process.env, which child processes do not inherit: the launcher
    // process gets the worker's credentials the way a real worker's child would, in its environment.
    const credentials = workerSecrets.map((name) => `${name}=${process.env[name] ?? ''}`);
    const local = createLocalExecutorActivities({
      store: s3,
      workRoot: join(dir, 'work'),
      launcherMode,
      ...(launcherMode === 'process' && {
        launcherCommand: ['env', ...credentials, 'TEMPORAL_ADDRESS=temporal.internal:7233', ...launcherBundleCommand()],
      }),
    });
    const script =
      'echo "kiln=[$KILN_S3_SECRET_KEY] aws=[$AWS_SECRET_ACCESS_KEY] endpoint=[$KILN_S3_ENDPOINT] temporal=[$TEMPORAL_ADDRESS]";' +
      ' echo "declared=[$MODEL_NAME] path=[${PATH:+set}] home=[$HOME]"; env | cut -d= -f1 | sort | tr "\\n" " "';
    const req = stepRequest(component(['sh', '-c', script]), {
      artifactRoot: s3.url,
      settings: { env: { MODEL_NAME: 'resnet' } },
    });
    await mockEnv().run(local.runStep, req);
    const log = await s3.readText(stepLogKey(executionKey(req)));
    expect(log).toContain('kiln=[] aws=[] endpoint=[] temporal=[]');
    expect(log).toContain(`declared=[resnet] path=[set] home=[${process.env['HOME'] ?? ''}]`);
    expect(log).not.toContain(minio.secretKey);
    expect(log).not.toContain('aws-secret-of-the-worker');
  });
});

describe.each(launcherModes)('the per-attempt log cap (launcher %s)', (launcherMode) => {
  jest.setTimeout(60_000);
  test('a step writing far more than the cap keeps the head and the tail, with a marker of the bytes dropped', async () => {
    const local = createLocalExecutorActivities({
      store,
      workRoot: join(dir, 'work'),
      launcherMode,
      logCapBytes: 2000,
    });
    // 6 + 300,000 + 5 bytes over stdout and stderr: the first and last 1,000 are kept.
    const write =
      'printf "BEGIN\\n"; head -c 150000 /dev/zero | tr "\\0" x; { head -c 150000 /dev/zero | tr "\\0" y; printf "\\nEND\\n"; } >&2';
    const req = stepRequest(component(['sh', '-c', write]));
    const result: StepResult = await mockEnv().run(local.runStep, req);
    const log = await store.readText(store.keyOf(result.logUri ?? ''));
    expect(log).toContain('BEGIN\nxxx');
    expect(log).toContain('yyy\nEND\n');
    expect(log).toContain(
      `… ${300_011 - 2000} bytes of output dropped here (the log is capped at 2000 bytes per attempt`,
    );
    expect(log).toContain('[kiln] command exited 0');
    // The command's 2,000 bytes and the launcher's own lines; nothing near the 300 kB written.
    expect(Buffer.byteLength(log)).toBeLessThan(4000);
    // The kept tail comes before what the launcher says after the command.
    expect(log.indexOf('END\n')).toBeLessThan(log.indexOf('[kiln] command exited 0'));
  });

  test('a cap that is not a whole number of bytes is refused, naming the option', () => {
    expect(() => createLocalExecutorActivities({ store, launcherMode, logCapBytes: 0.5 })).toThrow(
      /logCapBytes must be a whole number of bytes, at least 2, got 0.5/,
    );
  });
});

describe.each(launcherModes)('outputs never follow a link out of the output folder (launcher %s)', (launcherMode) => {
  jest.setTimeout(60_000);
  test('a step whose output is a link to /etc/passwd fails as a user error naming it, and nothing is published', async () => {
    const local = createLocalExecutorActivities({ store, workRoot: join(dir, 'work'), launcherMode });
    const comp = component(
      [
        'sh',
        '-c',
        'printf fine > "$0"; ln -s /etc/passwd "$1"; echo 1 > "$2"',
        { kind: 'outputPath', output: 'report' },
        { kind: 'outputPath', output: 'model' },
        { kind: 'outputPath', output: 'n' },
      ],
      {
        report: { kind: 'artifact', type: 'dataset' },
        model: { kind: 'artifact', type: 'model' },
        n: { kind: 'param', type: 'int' },
      },
    );
    const req = stepRequest(comp, {
      outputs: { params: { n: 'int' }, artifacts: { report: { type: 'dataset' }, model: { type: 'model' } } },
    });
    const error = await failureOf(mockEnv().run(local.runStep, req));
    expect(error).toMatchObject({ type: 'KilnUserError' });
    const details = (error as ApplicationFailure).details?.[0] as StepFailureDetails;
    expect(details.reason).toBe('OutputLinkOutsideFolder');
    expect((error as Error).message).toContain('output artifact "model" is, or holds, a symbolic link');
    expect((error as Error).message).toContain('to /etc/passwd, outside its output folder');
    // Not even the output written before it: a link out of the folder publishes nothing.
    for (const name of ['report', 'model'])
      expect(await store.exists(`runs/demo/${req.runId}/tasks/step/attempt-1/${name}`)).toBe(false);
    expect(await store.exists(executorOutputKey(executionKey(req)))).toBe(false);
  });

  test('a link hidden in an output folder, or an output parameter linked to a host file, is refused the same way', async () => {
    const local = createLocalExecutorActivities({ store, workRoot: join(dir, 'work'), launcherMode });
    const folderWithLink = stepRequest(
      component(
        [
          'sh',
          '-c',
          'mkdir -p "$0/sub" && printf ok > "$0/a" && ln -s /etc "$0/sub/etc"',
          { kind: 'outputPath', output: 'model' },
        ],
        { model: { kind: 'artifact', type: 'model' } },
      ),
      { outputs: { params: {}, artifacts: { model: { type: 'model' } } } },
    );
    const linkedParam = stepRequest(
      component(['ln', '-s', '/etc/hostname', { kind: 'outputPath', output: 'n' }], {
        n: { kind: 'param', type: 'string' },
      }),
      { outputs: { params: { n: 'string' }, artifacts: {} } },
    );
    for (const [req, what] of [
      [folderWithLink, 'output artifact "model"'],
      [linkedParam, 'output parameter "n"'],
    ] as const) {
      const error = await failureOf(mockEnv().run(local.runStep, req));
      expect(((error as ApplicationFailure).details?.[0] as StepFailureDetails).reason).toBe('OutputLinkOutsideFolder');
      expect((error as Error).message).toContain(`${what} is, or holds, a symbolic link`);
      expect(await store.exists(executorOutputKey(executionKey(req)))).toBe(false);
    }
  });
});

describe.each(launcherModes)('work folders (launcher %s)', (launcherMode) => {
  jest.setTimeout(60_000);
  /** The folders left under the work root once the off-path removal has had its moment (at most 5 s). */
  async function leftAfterRemoval(workRoot: string, expected: number): Promise<string[]> {
    const deadline = Date.now() + 5000;
    for (;;) {
      const left = await readdir(workRoot).catch(() => []);
      if (left.length <= expected || Date.now() > deadline) return left;
      await new Promise((ok) => setTimeout(ok, 50));
    }
  }

  test('a finished step leaves nothing behind, whether it wrote only its log or outputs and files of its own', async () => {
    const workRoot = join(dir, 'work');
    const local = createLocalExecutorActivities({ store, workRoot, launcherMode });
    const logOnly = stepRequest(component(['true']));
    const withFiles = stepRequest(
      component(
        [
          'sh',
          '-c',
          'printf m > "$0"; mkdir -p scratch/deep && printf x > scratch/deep/f',
          { kind: 'outputPath', output: 'model' },
        ],
        { model: { kind: 'artifact', type: 'model' } },
      ),
      { outputs: { params: {}, artifacts: { model: { type: 'model' } } } },
    );
    for (const req of [logOnly, withFiles]) await mockEnv().run(local.runStep, req);
    expect(await leftAfterRemoval(workRoot, 0)).toEqual([]);
    expect(await store.exists(executorOutputKey(executionKey(withFiles)))).toBe(true);
  });

  test('a failed step keeps its folder, with its log, for a look', async () => {
    const workRoot = join(dir, 'work');
    const local = createLocalExecutorActivities({ store, workRoot, launcherMode });
    await failureOf(mockEnv().run(local.runStep, stepRequest(component(['sh', '-c', 'echo why; exit 3']))));
    const left = await leftAfterRemoval(workRoot, 1);
    expect(left).toHaveLength(1);
    expect(await readFile(join(workRoot, left[0] as string, 'work', 'step.log'), 'utf8')).toContain('why');
  });
});
