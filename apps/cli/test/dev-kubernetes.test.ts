/**
 * `kiln dev --executor kubernetes` as a user runs it (bin/kiln in a child process) on
 * tools/testenv's servers (`KILN_TESTENV`): it creates the store Secret and starts a
 * Kubernetes worker, and a `kiln run --executor kubernetes` against it runs each step
 * as a pod; Ctrl-C (SIGINT) stops the worker and removes the Secret.
 */
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { getTestEnvironment } from '@kiln/testenv';
import type { RunStatusDocument } from '@kiln/engine-contract';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../../..');
const kilnBin = join(root, 'bin/kiln');
const fixtures = join(__dirname, 'fixtures', 'run');
const servers = getTestEnvironment(['temporal', 'minio', 'kubernetes']);
const taskQueue = `kiln-dev-k8s-${randomUUID()}`;

interface DevInfo {
  temporal: { address: string; namespace: string };
  api: { url: string; token: string };
  worker: { taskQueue: string; executor: string; store: string; namespace?: string };
}

/** Clean of the caller's Temporal settings, so only what the test passes applies. */
function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { TEMPORAL_ADDRESS: _a, KILN_TASK_QUEUE: _b, KILN_ARTIFACTS: _c, ...inherited } = process.env;
  return { ...inherited, KILN_TESTENV: JSON.stringify(servers), ...extra };
}

let dev: ChildProcess;
let devStderr = '';
let devExit: Promise<number | null>;

afterAll(async () => {
  if (dev && dev.exitCode === null) {
    dev.kill('SIGKILL');
    await devExit;
  }
});

test('brings up a Kubernetes worker with its store Secret; a kiln run there runs its steps as pods', async () => {
  dev = spawn(kilnBin, ['dev', '--executor', 'kubernetes', '--api-port', '0', '--task-queue', taskQueue, '--json'], {
    cwd: tmpdir(),
    env: env(),
  });
  devExit = new Promise((done) => dev.once('exit', (code) => done(code)));
  dev.stderr?.on('data', (chunk: Buffer) => (devStderr += chunk.toString()));
  const info = await new Promise<DevInfo>((ready, fail) => {
    let out = '';
    dev.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) ready(JSON.parse(line) as DevInfo);
    });
    void devExit.then((code) => fail(new Error(`kiln dev exited ${code}: ${devStderr}`)));
  });
  expect(info.worker).toMatchObject({ taskQueue, executor: 'kubernetes', namespace: servers.kubernetes.namespace });
  expect(info.temporal.address).toBe(servers.temporal.address);

  const kc = new KubeConfig();
  kc.loadFromFile(servers.kubernetes.kubeconfig);
  const core = kc.makeApiClient(CoreV1Api);
  const namespace = servers.kubernetes.namespace;
  const secrets = async () =>
    (await core.listNamespacedSecret({ namespace })).items
      .map((s) => s.metadata?.name ?? '')
      .filter((name) => name.startsWith(`kiln-dev-store-${dev.pid}-`));
  expect(await secrets()).toHaveLength(1);

  const run = await new Promise<{ status: number | null; stdout: string; stderr: string }>((done) => {
    const child = spawn(
      kilnBin,
      ['run', join(fixtures, 'hello.json'), '--param', 'who=pods', '--executor', 'kubernetes', '--json'],
      { cwd: tmpdir(), env: env({ TEMPORAL_ADDRESS: info.temporal.address, KILN_TASK_QUEUE: taskQueue }) },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (status) => done({ status, stdout, stderr }));
  });
  if (run.status !== 0) throw new Error(`kiln run exited ${run.status}: ${run.stderr}\nkiln dev: ${devStderr}`);
  const doc = JSON.parse(run.stdout) as RunStatusDocument;
  expect(doc.state).toBe('SUCCEEDED');
  for (const task of doc.tasks) {
    expect(task.executor).toBe('kubernetes');
    expect(task.pod).toMatchObject({ namespace, name: expect.any(String) });
  }

  dev.kill('SIGINT');
  expect(await devExit).toBe(0);
  expect(await secrets()).toEqual([]);
}, 600_000);
