/**
 * Runs the corpus on Kiln: one worker (the real local executor and the real
 * Kubernetes executor on tools/testenv's cluster, through `@kiln/testing`)
 * shared by every run, runs started together so the suite's time is bounded by
 * the slowest pipelines rather than their sum, and a run's status document
 * checked against its expectation (`run` in expected/<name>.ts).
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { openStore, type ArtifactStore } from '@kiln/artifacts';
import { statusQuery, type RunStatusDocument, type TaskStatus } from '@kiln/engine-contract';
import { startPipelineRun } from '@kiln/engine-client';
import { executionKey, stepLogKey } from '@kiln/store-layout';
import type { JsonValue, PipelineSpec } from '@kiln/ir';
import { getTestEnvironment } from '@kiln/testenv';
import { startTestWorker, type TestWorker } from '@kiln/testing';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { RunExpectation } from '../expectation';

export type Executor = 'local' | 'kubernetes';

/** The worker, the store both executors write, and a client to start runs with. */
export interface CorpusRunner {
  store: ArtifactStore;
  /** Starts a run now; the promise settles with its final status document. */
  run(spec: PipelineSpec, params: Record<string, JsonValue>, executor: Executor): Promise<RunStatusDocument>;
  stop(): Promise<void>;
}

/** Secrets and config maps the platform-spec pipelines name, made in the test namespace. */
export const platformObjects = {
  secrets: {
    'db-credentials': { username: 'kiln', password: 's3cret' },
    'tls-cert': { 'tls.crt': 'certificate', 'tls.key': 'key' },
  },
  configMaps: {
    'db-config': { host: 'db.internal' },
    'app-config': { mode: 'test' },
  },
} as const;

/**
 * Starts the shared worker on an S3 store in tools/testenv's MinIO (pods reach
 * it with the credentials of a Secret made here).
 *
 * @example
 * ```ts
 * const runner = await startCorpusRunner(join(tmp, 'work'));
 * const doc = await runner.run(spec, {}, 'local');
 * ```
 */
export async function startCorpusRunner(workRoot: string): Promise<CorpusRunner> {
  const servers = getTestEnvironment(['temporal', 'minio', 'kubernetes']);
  const suffix = randomUUID().slice(0, 8);
  const s3 = {
    endpoint: servers.minio.endpoint,
    accessKey: servers.minio.accessKey,
    secretKey: servers.minio.secretKey,
  };
  const store = openStore(`s3://${servers.minio.bucket}/kfp-yaml-${suffix}`, { s3 });
  const kubeconfig = new KubeConfig();
  kubeconfig.loadFromFile(servers.kubernetes.kubeconfig);
  const namespace = servers.kubernetes.namespace;
  const core = kubeconfig.makeApiClient(CoreV1Api);
  const storeSecret = `kiln-kfp-yaml-store-${suffix}`;
  const made = await makeClusterObjects(core, namespace, storeSecret, s3);
  const taskQueue = `kiln-kfp-yaml-${suffix}`;
  const worker: TestWorker = await startTestWorker({
    taskQueue,
    store,
    workRoot,
    kubernetes: { kubeconfig, namespace, storeSecret },
    maxConcurrentActivityTaskExecutions: 6,
  });
  const connection = await Connection.connect({ address: servers.temporal.address });
  const client = new Client({ connection, namespace: servers.temporal.namespace });
  return {
    store,
    run: (spec, params, executor) => runToEnd(client, taskQueue, spec, params, executor),
    async stop() {
      await worker.stop();
      await connection.close();
      for (const remove of made) await remove().catch(() => undefined);
    },
  };
}

async function makeClusterObjects(
  core: CoreV1Api,
  namespace: string,
  storeSecret: string,
  s3: { endpoint: string; accessKey: string; secretKey: string },
): Promise<(() => Promise<unknown>)[]> {
  const removers: (() => Promise<unknown>)[] = [];
  const secret = async (name: string, stringData: Record<string, string>) => {
    await core.deleteNamespacedSecret({ namespace, name }).catch(() => undefined);
    await core.createNamespacedSecret({ namespace, body: { metadata: { name }, stringData } });
    removers.push(() => core.deleteNamespacedSecret({ namespace, name }));
  };
  await secret(storeSecret, {
    KILN_S3_ENDPOINT: s3.endpoint,
    KILN_S3_ACCESS_KEY: s3.accessKey,
    KILN_S3_SECRET_KEY: s3.secretKey,
  });
  for (const [name, data] of Object.entries(platformObjects.secrets)) await secret(name, { ...data });
  for (const [name, data] of Object.entries(platformObjects.configMaps)) {
    await core.deleteNamespacedConfigMap({ namespace, name }).catch(() => undefined);
    await core.createNamespacedConfigMap({ namespace, body: { metadata: { name }, data: { ...data } } });
    removers.push(() => core.deleteNamespacedConfigMap({ namespace, name }));
  }
  return removers;
}

async function runToEnd(
  client: Client,
  taskQueue: string,
  spec: PipelineSpec,
  params: Record<string, JsonValue>,
  executor: Executor,
): Promise<RunStatusDocument> {
  // Without the step cache: every run really runs its steps (the same step in two pipelines, or on both
  // executors, would otherwise be served from the first).
  const handle = await startPipelineRun(client, { taskQueue, spec, params, options: { executor, cache: false } });
  try {
    return (await handle.result()) as RunStatusDocument;
  } catch (error) {
    const cause = error instanceof WorkflowFailedError ? error.cause : undefined;
    const doc =
      (cause instanceof ApplicationFailure ? (cause.details?.[0] as RunStatusDocument | undefined) : undefined) ??
      (await handle.query(statusQuery).catch(() => undefined));
    if (!doc) throw error;
    return doc;
  }
}

/** What a run gave, in the terms of a {@link RunExpectation}, for one `toEqual`. */
export interface RunOutcome {
  state: string;
  tasks: RunExpectation['tasks'];
  outputs: Record<string, JsonValue | undefined>;
  artifacts: Record<string, { text?: string; metadata?: Record<string, JsonValue> } | undefined>;
  /** Per task named in `want.logs`: the expected text when its log holds it, else the log's last lines. */
  logs: Record<string, string>;
}

/**
 * The run's outcome, limited to what `want` names: the states of the tasks it
 * lists (per-state counts for tasks in loops), the values and artifacts it asks for.
 */
export async function outcomeOf(
  doc: RunStatusDocument,
  want: RunExpectation,
  store: ArtifactStore,
): Promise<RunOutcome> {
  const tasks: RunOutcome['tasks'] = {};
  for (const [id, expected] of Object.entries(want.tasks)) {
    const instances = doc.tasks.filter((t) => t.id === id && !t.batched);
    if (typeof expected === 'string') {
      tasks[id] =
        instances.length === 1
          ? ((instances[0] as TaskStatus).state as never)
          : (`${instances.length} instances` as never);
    } else {
      const counts: Record<string, number> = {};
      for (const t of instances) counts[t.state] = (counts[t.state] ?? 0) + 1;
      tasks[id] = counts;
    }
  }
  const outputs: RunOutcome['outputs'] = {};
  for (const ref of Object.keys(want.outputs ?? {})) outputs[ref] = valueOf(doc, ref);
  const artifacts: RunOutcome['artifacts'] = {};
  for (const [ref, expected] of Object.entries(want.artifacts ?? {})) {
    artifacts[ref] = await artifactOf(doc, ref, expected, store);
  }
  const logs: RunOutcome['logs'] = {};
  for (const [id, text] of Object.entries(want.logs ?? {})) {
    const log = await logOf(doc, id, store);
    logs[id] = log.includes(text) ? text : `(not found in:) ${log.split('\n').slice(-15).join('\n')}`;
  }
  return { state: doc.state, tasks, outputs, artifacts, logs };
}

/**
 * Why a run ended as it did, for the diff of a test whose run did not end as
 * expected: its error and the last log lines of its failed tasks.
 */
export async function failureReport(doc: RunStatusDocument, store: ArtifactStore): Promise<string> {
  const failed = doc.tasks.filter((t) => t.state === 'failed' && !t.batched);
  const logs = await Promise.all(
    failed.map(
      async (t) =>
        `--- ${t.id}: ${t.error ?? ''}\n${(await logOf(doc, t.id, store)).split('\n').slice(-25).join('\n')}`,
    ),
  );
  return [doc.error ?? '', ...logs].join('\n');
}

/** The saved log of a task's (single instance's) last attempt. */
async function logOf(doc: RunStatusDocument, id: string, store: ArtifactStore): Promise<string> {
  const task = doc.tasks.find((t) => t.id === id && !t.batched);
  if (!task) return `(no task ${id})`;
  const key = stepLogKey(
    executionKey({ runId: doc.runId, taskId: task.id, iteration: task.iteration ?? [], attempt: task.attempts }),
  );
  return store.readText(key).catch((error: unknown) => `(log unreadable: ${String(error)})`);
}

/** `task.output` (the single instance of a task) or `pipeline.output`. */
function split(ref: string): [string, string] {
  const dot = ref.lastIndexOf('.');
  return [ref.slice(0, dot), ref.slice(dot + 1)];
}

function valueOf(doc: RunStatusDocument, ref: string): JsonValue | undefined {
  const [owner, name] = split(ref);
  if (owner === 'pipeline') {
    const outputs = doc.outputs;
    if (!outputs) return undefined;
    if (name in outputs.params) return outputs.params[name];
    const artifact = outputs.artifacts[name];
    return artifact === undefined ? undefined : (artifact as unknown as JsonValue);
  }
  const task = doc.tasks.find((t) => t.id === owner && !t.batched);
  return task?.outputs.params[name];
}

async function artifactOf(
  doc: RunStatusDocument,
  ref: string,
  want: { text?: string; metadata?: Record<string, JsonValue> },
  store: ArtifactStore,
): Promise<{ text?: string; metadata?: Record<string, JsonValue> } | undefined> {
  const [owner, name] = split(ref);
  const artifacts =
    owner === 'pipeline'
      ? doc.outputs?.artifacts
      : doc.tasks.find((t) => t.id === owner && !t.batched)?.outputs.artifacts;
  const found = artifacts?.[name];
  const artifact = Array.isArray(found) ? undefined : found;
  if (!artifact) return undefined;
  const out: { text?: string; metadata?: Record<string, JsonValue> } = {};
  if (want.text !== undefined) out.text = await store.readText(store.keyOf(artifact.uri));
  if (want.metadata !== undefined) {
    // Only the keys the expectation names: KFP adds its own (display names...), Kiln may too.
    const metadata = (artifact.metadata ?? {}) as Record<string, JsonValue>;
    out.metadata = Object.fromEntries(Object.keys(want.metadata).map((k) => [k, metadata[k] as JsonValue]));
  }
  return out;
}

/** The per-run work folders live here; one folder for the whole suite. */
export function workRootIn(dir: string): string {
  return join(dir, 'work');
}
