/**
 * kill -9 the worker while a step's pod runs, start another worker: the
 * retried activity reattaches to the same pod (exactly one pod exists for the
 * attempt) and the run succeeds with its outputs. Real Temporal dev server,
 * the engine's real workflow, workers in child processes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { type RunStatusDocument } from '@kiln/engine-contract';
import { kilnWorkflowBundle } from '@kiln/engine-worker';
import { startPipelineRun } from '@kiln/engine-client';
import type { PipelineSpec } from '@kiln/ir';
import { getTestEnvironment } from '@kiln/testenv';
import { labelKeys } from '@kiln/kube';
import { cluster, eventually, launcherCommand, workspaceRoot, type Cluster } from './support/cluster';
import type { TestWorkerSettings } from './support/worker-process';

jest.setTimeout(240_000);

let c: Cluster;
let client: Client;
let connection: Connection;
const workers: ChildProcess[] = [];
const workflowIds: string[] = [];

const spec: PipelineSpec = {
  schemaVersion: '1.0',
  pipeline: { name: 'k8s-crash' },
  params: { word: { kind: 'param', type: 'string', default: 'durable' } },
  settings: {},
  components: {
    slow: {
      name: 'slow',
      inputs: { word: { kind: 'param', type: 'string' } },
      outputs: { echoed: { kind: 'param', type: 'string' } },
      implementation: {
        type: 'container',
        image: 'alpine:3',
        command: [
          '/bin/sh',
          '-c',
          'echo "pid $$ starting"; sleep 12; printf "%s!" "$0" > "$1"',
          { kind: 'inputValue', input: 'word' },
          { kind: 'outputPath', output: 'echoed' },
        ],
      },
    },
    shout: {
      name: 'shout',
      inputs: { text: { kind: 'param', type: 'string' } },
      outputs: { loud: { kind: 'param', type: 'string' } },
      implementation: {
        type: 'container',
        image: 'alpine:3',
        command: [
          '/bin/sh',
          '-c',
          'printf "%s%s" "$0" "$0" > "$1"',
          { kind: 'inputValue', input: 'text' },
          { kind: 'outputPath', output: 'loud' },
        ],
      },
    },
  },
  root: {
    tasks: {
      first: {
        type: 'task',
        component: 'slow',
        inputs: { word: { kind: 'param', name: 'word' } },
        dependsOn: [],
        settings: {},
      },
      second: {
        type: 'task',
        component: 'shout',
        inputs: { text: { kind: 'output', task: 'first', output: 'echoed' } },
        dependsOn: ['first'],
        settings: {},
      },
    },
  },
  outputs: {},
};

beforeAll(async () => {
  c = cluster();
  const temporal = getTestEnvironment(['temporal']).temporal;
  connection = await Connection.connect({ address: temporal.address });
  client = new Client({ connection, namespace: temporal.namespace });
});
afterAll(async () => {
  for (const w of workers) killGroup(w);
  const pods = await c.core.listNamespacedPod({ namespace: c.namespace, labelSelector: labelKeys.run });
  for (const pod of pods.items) {
    if (!workflowIds.includes(pod.metadata?.annotations?.['kiln.dev/workflow-id'] ?? '')) continue;
    await c.core
      .deleteNamespacedPod({ namespace: c.namespace, name: pod.metadata?.name ?? '', gracePeriodSeconds: 0 })
      .catch(() => undefined);
  }
  await connection?.close();
  await c.cleanup();
});

function killGroup(child: ChildProcess): void {
  try {
    if (child.pid) process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

let workerOutput = '';

function startWorker(settings: TestWorkerSettings): Promise<ChildProcess> {
  const root = workspaceRoot();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'libs', 'k8s-activities', 'test', 'support', 'worker-process.ts')],
    {
      cwd: root,
      env: { ...process.env, KILN_TEST_WORKER: JSON.stringify(settings) },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so SIGKILL takes tsx's node child with it.
      detached: true,
    },
  );
  workers.push(child);
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve(child));
    child.stderr?.on('data', (chunk: Buffer) => (workerOutput += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`worker exited with ${code} before it was ready:\n${workerOutput}`)));
  });
}

test('kill -9 of the worker while a pod runs: the next worker reattaches, one pod per attempt, the run succeeds', async () => {
  const temporal = getTestEnvironment(['temporal']).temporal;
  const bundlePath = join(c.storeDir, 'kiln-workflows.js');
  writeFileSync(bundlePath, (await kilnWorkflowBundle()).code);
  const settings: TestWorkerSettings = {
    address: temporal.address,
    namespace: temporal.namespace,
    taskQueue: `kiln-k8s-crash-${process.pid}-${Date.now()}`,
    bundlePath,
    kubeconfig: c.kubeconfig,
    k8sNamespace: c.namespace,
    storeUrl: c.store.url,
    launcherCommand: launcherCommand(),
    launcherEnv: { TSX_TSCONFIG_PATH: join(workspaceRoot(), 'tsconfig.base.json') },
  };

  const first = await startWorker(settings);
  const handle = await startPipelineRun(client, {
    taskQueue: settings.taskQueue,
    spec,
    options: {
      executor: 'kubernetes',
      cache: false,
      heartbeatTimeoutSeconds: 5,
      infrastructureRetry: { initialIntervalSeconds: 0.5 },
    },
  });
  workflowIds.push(handle.workflowId);
  const runPods = async () =>
    (
      await c.core.listNamespacedPod({
        namespace: c.namespace,
        labelSelector: `${labelKeys.task}=first,${labelKeys.run}`,
      })
    ).items.filter((p) => p.metadata?.annotations?.['kiln.dev/workflow-id'] === handle.workflowId);
  const running = await eventually(async () => {
    const [pod] = await runPods();
    return pod?.status?.containerStatuses?.find((s) => s.name === 'main')?.state?.running ? pod : undefined;
  }, 120_000);

  killGroup(first);
  await startWorker(settings);
  const doc = (await handle.result()) as RunStatusDocument;

  expect(doc.state).toBe('SUCCEEDED');
  const byId = Object.fromEntries(doc.tasks.map((t) => [t.id, t]));
  expect(byId['first']?.outputs.params).toEqual({ echoed: 'durable!' });
  expect(byId['second']?.outputs.params).toEqual({ loud: 'durable!durable!' });
  const pods = await runPods();
  expect(pods).toHaveLength(1);
  expect(pods[0]?.metadata?.uid).toBe(running.metadata?.uid);
  expect(byId['first']?.attempts).toBe(1);
});
