/**
 * The production path: artifacts in MinIO (S3), store credentials handed to
 * the pod's launcher containers from a Secret by name. The pod moves the bytes
 * (the worker only stages the request and reads the record), and no
 * credential appears in the pod spec or in the step request.
 */
import { createHash } from 'node:crypto';
import type { ArtifactStore } from '@kiln/artifacts';
import { executionKey, podRequestKey } from '@kiln/store-layout';
import { getTestEnvironment } from '@kiln/testenv';
import { podIdentity } from '@kiln/kube';
import {
  cluster,
  minioStore,
  component,
  deleteRunPods,
  runInActivity,
  stepRequest,
  type Cluster,
} from './support/cluster';

jest.setTimeout(60_000);

let c: Cluster;
let store: ArtifactStore;
let secretName: string;
let removeSecret: () => Promise<void>;
const runs: string[] = [];
const minio = getTestEnvironment(['minio']).minio;

beforeAll(async () => {
  c = cluster();
  ({ store, secretName, remove: removeSecret } = await minioStore(c, 'k8s-activities'));
});
afterAll(async () => {
  await deleteRunPods(c, runs);
  await removeSecret?.();
  await c.cleanup();
});

test('a step reads and writes MinIO artifacts with credentials from a Secret that never appear in the pod spec or the request', async () => {
  const input = 'id,label\n1,a\n2,b\n'.repeat(1000);
  await store.put('inputs/table.csv', input);
  const req = stepRequest(
    component(
      [
        '/bin/sh',
        '-c',
        'tr a-z A-Z < "$0" > "$1"; wc -l < "$0" > "$2"',
        { kind: 'inputPath', input: 'table' },
        { kind: 'outputPath', output: 'upper' },
        { kind: 'outputPath', output: 'lines' },
      ],
      {
        inputs: { table: { kind: 'artifact', type: 'dataset' } },
        outputs: { upper: { kind: 'artifact', type: 'dataset' }, lines: { kind: 'param', type: 'int' } },
      },
    ),
    {
      inputs: {
        params: {},
        artifacts: { table: { uri: store.uriFor('inputs/table.csv'), type: 'dataset', metadata: {} } },
      },
      artifactRoot: store.url,
      outputs: { params: { lines: 'int' }, artifacts: { upper: { type: 'dataset' } } },
    },
  );
  runs.push(req.runId);
  const deps = c.deps({
    store,
    pod: { ...c.deps().pod, storeSecret: secretName },
    cleanup: { deleteSucceeded: false },
  });
  const result = await runInActivity(deps, req).result;

  const expected = input.toUpperCase();
  expect(result.outputs.params).toEqual({ lines: 3000 });
  expect(result.outputs.artifacts['upper']?.digest).toBe(
    `sha256:${createHash('sha256').update(expected).digest('hex')}`,
  );
  // Where the output went follows from the attempt's identity.
  expect(result.outputs.artifacts['upper']?.uri).toBe(
    store.uriFor(`runs/k8s-test/${req.runId}/tasks/step/attempt-1/upper`),
  );
  expect(await store.readText(`runs/k8s-test/${req.runId}/tasks/step/attempt-1/upper`)).toBe(expected);

  const pod = await c.core.readNamespacedPod({ namespace: c.namespace, name: podIdentity(req).name });
  const podJson = JSON.stringify(pod);
  expect(podJson).not.toContain(minio.secretKey);
  expect(podJson).toContain(secretName);
  expect(pod.spec?.containers[0]?.envFrom).toBeUndefined();
  expect(JSON.stringify(req)).not.toContain(minio.secretKey);
  expect(await store.readText(podRequestKey(executionKey(req)))).not.toContain(minio.secretKey);
});
