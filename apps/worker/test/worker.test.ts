/**
 * The worker started from its configuration against the real Temporal dev
 * server: it runs pipelines with the local executor, counts steps in its
 * Prometheus metrics and shuts down gracefully.
 */
import { openStore } from '@kiln/artifacts';
import { type RunStatusDocument } from '@kiln/engine-contract';
import { startPipelineRun } from '@kiln/engine-client';
import type { PipelineSpec } from '@kiln/ir';
import { getTestEnvironment } from '@kiln/testenv';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pino } from 'pino';
import { loadWorkerConfig } from '../src/config/load';
import { startWorker, type RunningWorker } from '../src/run-worker';

const spec = (exitCode: number): PipelineSpec => ({
  schemaVersion: '1.0',
  pipeline: { name: 'worker-test' },
  params: {},
  settings: {},
  components: {
    sh: {
      name: 'sh',
      inputs: { code: { kind: 'param', type: 'int' } },
      outputs: {},
      implementation: {
        type: 'container',
        image: 'busybox',
        command: ['sh', '-c', 'echo step; exit "$0"', { kind: 'inputValue', input: 'code' }],
      },
    },
  },
  root: {
    tasks: {
      first: {
        type: 'task',
        component: 'sh',
        inputs: { code: { kind: 'constant', value: 0 } },
        dependsOn: [],
        settings: {},
      },
      second: {
        type: 'task',
        component: 'sh',
        inputs: { code: { kind: 'constant', value: exitCode } },
        dependsOn: ['first'],
        settings: {},
      },
    },
  },
  outputs: {},
});

let running: RunningWorker;
let client: Client;
let connection: Connection;
let taskQueue: string;
const metricsPort = 20000 + Math.floor(Math.random() * 20000);

beforeAll(async () => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const temporal = getTestEnvironment(['temporal']).temporal;
  const dir = mkdtempSync(join(tmpdir(), 'kiln-worker-test-'));
  taskQueue = `kiln-worker-test-${randomUUID()}`;
  const config = loadWorkerConfig({
    KILN_TEMPORAL_ADDRESS: temporal.address,
    KILN_TEMPORAL_NAMESPACE: temporal.namespace,
    KILN_TASK_QUEUE: taskQueue,
    KILN_ARTIFACTS: pathToFileURL(join(dir, 'store')).href,
    KILN_WORK_ROOT: join(dir, 'work'),
    KILN_METRICS_PORT: String(metricsPort),
    KILN_METRICS_HOST: '127.0.0.1',
    KILN_MAX_CONCURRENT_ACTIVITIES: '8',
  });
  running = await startWorker(config, { log: pino({ level: 'silent' }), store: openStore(config.store.url) });
  connection = await Connection.connect({ address: temporal.address });
  client = new Client({ connection, namespace: temporal.namespace });
});
afterAll(async () => {
  await running?.shutdown();
  await connection?.close();
});

const metric = async (name: string) => {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  return text.split('\n').filter((line) => line.startsWith(name));
};

test('runs a pipeline with the local executor and counts its steps on /metrics', async () => {
  const handle = await startPipelineRun(client, { taskQueue, spec: spec(0), options: { cache: false } });
  const doc = (await handle.result()) as RunStatusDocument;
  expect(doc.state).toBe('SUCCEEDED');
  expect(await metric('kiln_steps_started_total')).toEqual(['kiln_steps_started_total{executor="local"} 2']);
  expect(await metric('kiln_steps_succeeded_total')).toEqual(['kiln_steps_succeeded_total{executor="local"} 2']);
  expect(await metric('kiln_runs_finished_total')).toEqual(['kiln_runs_finished_total{state="SUCCEEDED"} 1']);
  expect(await metric('kiln_worker_running')).toEqual(['kiln_worker_running 1']);
  expect((await metric('process_resident_memory_bytes'))[0]).toMatch(/^process_resident_memory_bytes \d+/);
});

test('a failing step is counted by failure type', async () => {
  const handle = await startPipelineRun(client, { taskQueue, spec: spec(3), options: { cache: false } });
  await expect(handle.result()).rejects.toThrow();
  expect(await metric('kiln_steps_failed_total')).toEqual([
    'kiln_steps_failed_total{executor="local",failure_type="KilnUserError"} 1',
  ]);
});

test('refuses a kubernetes step plainly when it only has the local executor', async () => {
  const handle = await startPipelineRun(client, {
    taskQueue,
    spec: spec(0),
    options: { cache: false, executor: 'kubernetes' },
  });
  await expect(handle.result()).rejects.toThrow();
  const failed = await metric('kiln_steps_failed_total');
  expect(failed).toContain('kiln_steps_failed_total{executor="kubernetes",failure_type="KilnConfigurationError"} 1');
});

test('shutdown drains the worker and closes the metrics endpoint', async () => {
  await running.shutdown();
  expect(running.worker.getState()).toBe('STOPPED');
  await expect(fetch(`http://127.0.0.1:${metricsPort}/metrics`)).rejects.toThrow();
});
