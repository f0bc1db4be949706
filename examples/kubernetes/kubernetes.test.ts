/**
 * The Kubernetes executor end to end, the way a user drives it: the Kiln
 * worker process (apps/worker, `KILN_EXECUTOR=kubernetes`, configured only
 * through its environment) against the test cluster's real kube-apiserver and
 * MinIO, and `bin/kiln run ... --executor kubernetes --json` as a child
 * process. Step pods run on the test node agent (containers as host
 * processes); their launcher containers get the MinIO credentials from a
 * Secret, as in production.
 *
 * What a run must show: the status document's task states and outputs, every
 * artifact in MinIO with the digest the document names, one labelled pod per
 * step that ran (none for skipped ones), and those pods deleted once they
 * succeeded (the worker's default cleanup policy).
 */
import { createHash } from 'node:crypto';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { Client, Connection } from '@temporalio/client';
import { openStore } from '@kiln/artifacts';
import type { RunStatusDocument, TaskStatus } from '@kiln/engine-contract';
import { labelKeys, labelValue, managedByKiln } from '@kiln/kube';
import { getTestEnvironment } from '@kiln/testenv';
import { PodRecorder, type RecordedPod } from './support/pod-recorder';
import { kubernetesWorkerEnv, startKiln, startWorkerProcess, type WorkerProcess } from '@kiln/testing';

const servers = getTestEnvironment(['temporal', 'minio', 'kubernetes']);
const namespace = servers.kubernetes.namespace;
const suffix = `${process.pid}-${Date.now().toString(36)}`;
const taskQueue = `kiln-examples-kubernetes-${suffix}`;
const storeUrl = `s3://${servers.minio.bucket}/examples-kubernetes-${suffix}`;
const storeSecret = `kiln-examples-store-${suffix}`;
const s3 = { endpoint: servers.minio.endpoint, accessKey: servers.minio.accessKey, secretKey: servers.minio.secretKey };
/** The test's own view of the store the worker and the pods write: MinIO itself. */
const store = openStore(storeUrl, { s3 });

const kc = new KubeConfig();
kc.loadFromFile(servers.kubernetes.kubeconfig);
const core = kc.makeApiClient(CoreV1Api);

let worker: WorkerProcess | undefined;
let recorder: PodRecorder | undefined;
let connection: Connection | undefined;
const startedRuns: string[] = [];

beforeAll(async () => {
  await core.createNamespacedSecret({
    namespace,
    body: {
      metadata: { name: storeSecret },
      stringData: { KILN_S3_ENDPOINT: s3.endpoint, KILN_S3_ACCESS_KEY: s3.accessKey, KILN_S3_SECRET_KEY: s3.secretKey },
    },
  });
  recorder = new PodRecorder(kc, namespace);
  await recorder.start();
  connection = await Connection.connect({ address: servers.temporal.address });
  // Bundling the workflows at start takes a while on a busy machine.
  worker = await startWorkerProcess(
    kubernetesWorkerEnv({
      servers,
      taskQueue,
      storeUrl,
      namespace,
      storeSecret,
      launcherImage: 'ghcr.io/kiln-dev/kiln-launcher:test',
    }),
    240_000,
  );
}, 300_000);

afterAll(async () => {
  await worker?.stop();
  // A failed test may leave a run going and its pods behind: stop the run, then remove the pods.
  if (connection) {
    const client = new Client({ connection, namespace: servers.temporal.namespace });
    for (const id of startedRuns)
      await client.workflow
        .getHandle(id)
        .terminate('test cleanup')
        .catch(() => undefined);
  }
  for (const id of startedRuns) {
    for (const pod of recorder?.podsOfRun(id) ?? []) {
      if (!pod.deleted)
        await core.deleteNamespacedPod({ namespace, name: pod.name, gracePeriodSeconds: 0 }).catch(() => undefined);
    }
  }
  await recorder?.stop();
  await connection?.close();
  await core.deleteNamespacedSecret({ namespace, name: storeSecret }).catch(() => undefined);
  for await (const key of store.list('')) await store.delete(key);
}, 120_000);

const cliEnv = () => ({
  TEMPORAL_ADDRESS: servers.temporal.address,
  TEMPORAL_NAMESPACE: servers.temporal.namespace,
  KILN_TASK_QUEUE: taskQueue,
});

/** `bin/kiln run <file> --executor kubernetes --json --no-cache --param ...`; the workflow id is read off its stderr. */
function kilnRun(file: string, params: Record<string, string>, deadlineMs: number) {
  const args = [
    'run',
    file,
    '--executor',
    'kubernetes',
    '--json',
    '--no-cache',
    ...Object.entries(params).flatMap(([k, v]) => ['--param', `${k}=${v}`]),
  ];
  const run = startKiln(args, cliEnv(), deadlineMs);
  const workflowId = new Promise<string>((found, fail) => {
    const look = () => {
      const match = /kiln: started \S+ as (\S+)/.exec(run.stderr());
      if (match?.[1]) {
        startedRuns.push(match[1]);
        found(match[1]);
        return true;
      }
      return false;
    };
    run.child.stderr?.on('data', look);
    void run.done.then(() => look() || fail(new Error(`bin/kiln never started a run:\n${run.stderr()}`)));
  });
  return { ...run, workflowId };
}

function task(doc: RunStatusDocument, id: string, iteration?: number[]): TaskStatus {
  const found = doc.tasks.find(
    (t) => t.id === id && JSON.stringify(t.iteration ?? []) === JSON.stringify(iteration ?? []),
  );
  if (!found)
    throw new Error(
      `no task ${id}${iteration ? ` [${iteration.join(',')}]` : ''} in the status document: ${doc.tasks.map((t) => t.id).join(', ')}`,
    );
  return found;
}

const statesOf = (doc: RunStatusDocument) =>
  doc.tasks.map((t) => `${t.id}${t.iteration ? `[${t.iteration.join(',')}]` : ''}=${t.state}`).sort();

async function bytesOf(uri: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await store.get(store.keyOf(uri))) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Every artifact the document names is in MinIO, and its bytes hash to the recorded digest. */
async function checkArtifactsInMinio(doc: RunStatusDocument): Promise<number> {
  let checked = 0;
  for (const t of doc.tasks) {
    for (const [name, artifact] of Object.entries(t.outputs.artifacts)) {
      expect({ task: t.id, name, uri: artifact.uri }).toEqual({
        task: t.id,
        name,
        uri: expect.stringMatching(new RegExp(`^${storeUrl}/`)),
      });
      const digest = `sha256:${createHash('sha256')
        .update(await bytesOf(artifact.uri))
        .digest('hex')}`;
      expect({ task: t.id, name, digest }).toEqual({ task: t.id, name, digest: artifact.digest });
      checked++;
    }
  }
  return checked;
}

async function eventually(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * One pod per task that ran, labelled with the run, task, iteration and
 * attempt; the pods of succeeded steps are deleted (default cleanup policy).
 */
async function checkPods(doc: RunStatusDocument): Promise<RecordedPod[]> {
  const ran = doc.tasks.filter((t) => t.state === 'succeeded');
  const expected = ran.map((t) => t.pod?.name).sort();
  await eventually(
    'every pod of the run to be seen and deleted',
    () => {
      const seen = recorder?.podsOfRun(doc.workflowId) ?? [];
      return seen.length === expected.length && seen.every((p) => p.deleted);
    },
    60_000,
  ).catch((error: Error) => {
    const seen = recorder?.podsOfRun(doc.workflowId).map((p) => `${p.name}${p.deleted ? '' : ' (not deleted)'}`) ?? [];
    throw new Error(
      `${error.message}; expected pods ${expected.join(', ')}; seen ${seen.join(', ') || 'none'} (watch gaps: ${recorder?.gaps})`,
    );
  });
  const pods = recorder?.podsOfRun(doc.workflowId) ?? [];
  expect(pods.map((p) => p.name).sort()).toEqual(expected);
  for (const t of ran) {
    const pod = pods.find((p) => p.name === t.pod?.name) as RecordedPod;
    expect(t.pod?.namespace).toBe(namespace);
    expect(pod.latest.metadata?.labels).toMatchObject({
      [labelKeys.managedBy]: managedByKiln,
      [labelKeys.run]: labelValue(doc.runId),
      [labelKeys.task]: t.id,
      [labelKeys.iteration]: t.iteration ? t.iteration.join('.') : 'none',
      [labelKeys.attempt]: '1',
    });
    expect({ pod: pod.name, mainRan: pod.mainRan, phases: pod.phases }).toEqual({
      pod: pod.name,
      mainRan: true,
      phases: expect.arrayContaining(['Succeeded']),
    });
  }
  const left = await core.listNamespacedPod({ namespace, labelSelector: `${labelKeys.run}=${labelValue(doc.runId)}` });
  expect(left.items.map((p) => p.metadata?.name)).toEqual([]);
  return pods;
}

describe('examples/kubernetes/pipeline.ts through bin/kiln and a kubernetes worker', () => {
  test('a long text takes the `shout` branch: loop, fan-in, artifacts in MinIO, labelled pods deleted after success', async () => {
    const text = 'the quick brown fox jumps over the lazy dog';
    const shards = ['north', 'south', 'east'];
    const run = kilnRun(
      'examples/kubernetes/pipeline.ts',
      { text, shards: JSON.stringify(shards), minWords: '5' },
      240_000,
    );
    const { code, stdout, stderr } = await run.done;
    expect({ code, stderr }).toEqual({ code: 0, stderr: expect.stringContaining('kubernetes-demo SUCCEEDED') });
    const doc = JSON.parse(stdout) as RunStatusDocument;
    expect(doc.workflowId).toBe(await run.workflowId);

    expect(doc.state).toBe('SUCCEEDED');
    expect(statesOf(doc)).toEqual(
      [
        'join-shards=succeeded',
        'report=succeeded',
        'shout=succeeded',
        'tag-shard[0]=succeeded',
        'tag-shard[1]=succeeded',
        'tag-shard[2]=succeeded',
        'whisper=skipped',
        'write-text=succeeded',
      ].sort(),
    );
    expect(doc.tasks.every((t) => t.executor === 'kubernetes')).toBe(true);

    const tagged = shards.map((s) => `${s}: ${text}\n`);
    expect(task(doc, 'write-text').outputs.params).toEqual({ words: 9 });
    shards.forEach((_, i) =>
      expect(task(doc, 'tag-shard', [i]).outputs.params).toEqual({ bytes: Buffer.byteLength(tagged[i] as string) }),
    );
    expect(task(doc, 'join-shards').outputs.params).toEqual({ lines: 3 });
    expect(task(doc, 'shout').outputs.params).toEqual({ verdict: 'long' });
    expect(task(doc, 'report').outputs.params).toEqual({ state: 'SUCCEEDED' });

    expect((await bytesOf(task(doc, 'write-text').outputs.artifacts['document']?.uri as string)).toString()).toBe(
      `${text}\n`,
    );
    // The fan-in keeps item order.
    expect((await bytesOf(task(doc, 'join-shards').outputs.artifacts['joined']?.uri as string)).toString()).toBe(
      tagged.join(''),
    );
    expect((await bytesOf(task(doc, 'shout').outputs.artifacts['summary']?.uri as string)).toString()).toBe(
      tagged.join('').toUpperCase(),
    );
    expect(await checkArtifactsInMinio(doc)).toBe(1 + shards.length + 1 + 1);

    const pods = await checkPods(doc);
    expect(pods).toHaveLength(1 + shards.length + 1 + 1 + 1);
  }, 300_000);

  test('a short text takes the `otherwise` branch; values reach the shell as arguments, never as script text', async () => {
    const text = 'tiny $(echo text)';
    const run = kilnRun('examples/kubernetes/pipeline.ts', { text, shards: '["solo","duo"]', minWords: '5' }, 240_000);
    const { code, stdout, stderr } = await run.done;
    expect({ code, stderr }).toEqual({ code: 0, stderr: expect.stringContaining('kubernetes-demo SUCCEEDED') });
    const doc = JSON.parse(stdout) as RunStatusDocument;

    expect(statesOf(doc)).toEqual(
      [
        'join-shards=succeeded',
        'report=succeeded',
        'shout=skipped',
        'tag-shard[0]=succeeded',
        'tag-shard[1]=succeeded',
        'whisper=succeeded',
        'write-text=succeeded',
      ].sort(),
    );
    expect(task(doc, 'write-text').outputs.params).toEqual({ words: 3 });
    expect(task(doc, 'join-shards').outputs.params).toEqual({ lines: 2 });
    expect(task(doc, 'whisper').outputs.params).toEqual({ verdict: 'short' });
    expect(task(doc, 'report').outputs.params).toEqual({ state: 'SUCCEEDED' });
    expect((await bytesOf(task(doc, 'whisper').outputs.artifacts['summary']?.uri as string)).toString()).toBe(
      `solo: ${text}\n`,
    );
    expect(await checkArtifactsInMinio(doc)).toBe(1 + 2 + 1 + 1);
    expect(await checkPods(doc)).toHaveLength(1 + 2 + 1 + 1 + 1);
  }, 300_000);
});

describe('cancelling a run on the kubernetes executor', () => {
  test('deletes the running step pod, runs the exit handler in a pod that sees CANCELLED, and ends the run CANCELLED', async () => {
    const run = kilnRun('examples/kubernetes/cancellable.ts', { seconds: '600' }, 240_000);
    const workflowId = await run.workflowId;
    const napPod = () =>
      recorder?.podsOfRun(workflowId).find((p) => p.latest.metadata?.labels?.[labelKeys.task] === 'nap');
    await eventually('the nap pod to run its main container', () => napPod()?.mainRan === true, 120_000);

    const cancelledAt = Date.now();
    const client = new Client({ connection: connection as Connection, namespace: servers.temporal.namespace });
    await client.workflow.getHandle(workflowId).cancel();

    const { code, stdout, stderr } = await run.done;
    expect({ code, stderr }).toEqual({ code: 1, stderr: expect.stringContaining('kubernetes-cancellable CANCELLED') });
    const doc = JSON.parse(stdout) as RunStatusDocument;
    expect(doc.state).toBe('CANCELLED');
    expect(statesOf(doc)).toEqual(['nap=cancelled', 'report=succeeded']);
    expect(task(doc, 'nap').outputs.params).toEqual({});
    // The exit handler ran as a pod and was handed the cancelled status.
    expect(task(doc, 'report').outputs.params).toEqual({ state: 'CANCELLED' });
    expect(task(doc, 'report').pod?.name).toMatch(/^kiln-report-/);
    expect((await client.workflow.getHandle(workflowId).describe()).status.name).toBe('CANCELLED');

    // The sleeping pod was deleted long before its 600 s were up, and never succeeded.
    await eventually('the nap pod to be deleted', () => napPod()?.deleted === true, 60_000);
    expect(Date.now() - cancelledAt).toBeLessThan(60_000);
    expect(napPod()?.phases).not.toContain('Succeeded');
    // The status names the pod the cancellation deleted, as it does for finished steps.
    expect(task(doc, 'nap').pod).toEqual({ namespace, name: napPod()?.name });
    const report = recorder?.podsOfRun(workflowId).find((p) => p.name === task(doc, 'report').pod?.name);
    expect(report?.mainRan).toBe(true);
    await eventually(
      'the report pod to be deleted after it succeeded',
      () => recorder?.podsOfRun(workflowId).find((p) => p.name === report?.name)?.deleted === true,
      60_000,
    );
  }, 300_000);
});
