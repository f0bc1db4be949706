/**
 * What the API reads back from the store (pipeline versions and their IR, run
 * records, run origins) is parsed with its schema: a record that is not what
 * Kiln keeps there is an error naming its key and what is wrong, on a real
 * file:// store and a real s3:// one (the MinIO of tools/testenv). No Temporal needed.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, StoreRecordError, type ArtifactStore } from '@kiln/artifacts';
import type { RunStatusDocument } from '@kiln/engine-contract';
import { pipelineSpecKey, pipelineVersionKey, runOriginKey, runRecordKey } from '@kiln/store-layout';
import { getTestEnvironment } from '@kiln/testenv';
import { toApiError } from '../src/error-handler';
import { PipelineRegistry } from '../src/pipelines/registry';
import { readRunRecord } from '../src/runs/get';
import { readOrigin } from '../src/runs/origin';
import { helloSpec } from './support/fixtures';

interface Opened {
  store: ArtifactStore;
  close(): Promise<void>;
}

const backends: { name: string; open(): Promise<Opened> }[] = [
  {
    name: 'file',
    async open() {
      const dir = await mkdtemp(join(tmpdir(), 'kiln-api-records-'));
      return { store: openStore(`file://${dir}/store`), close: () => rm(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 's3',
    async open() {
      const { minio } = getTestEnvironment(['minio']);
      const store = openStore(`s3://${minio.bucket}/api-records/${randomUUID()}`, {
        s3: { endpoint: minio.endpoint, accessKey: minio.accessKey, secretKey: minio.secretKey },
      });
      return {
        store,
        close: async () => {
          for (const prefix of ['pipelines', 'runs']) await store.delete(prefix);
        },
      };
    },
  },
];

/** The error a promise rejects with. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe.each(backends)('records the API reads ($name store)', (backend) => {
  let opened: Opened;
  let store: ArtifactStore;
  beforeEach(async () => {
    opened = await backend.open();
    store = opened.store;
  });
  afterEach(async () => {
    await opened.close();
  });

  test('a malformed pipeline version is a StoreRecordError naming its key, wherever it is read', async () => {
    const registry = new PipelineRegistry(store);
    const { version } = await registry.upload(helloSpec('damaged'), { createdBy: 'test' });
    const key = pipelineVersionKey('damaged', version.version);
    // As an older or foreign writer might have left it: no digest, a number for a name.
    await store.writeJson(key, { name: 7, version: version.version, createdAt: 'now', createdBy: 'x' });

    const error = await rejection(registry.version('damaged', version.version));
    expect(error).toBeInstanceOf(StoreRecordError);
    expect(error).toMatchObject({
      key,
      retryable: false,
      issues: [
        { path: '$.name', message: expect.stringContaining('string') },
        { path: '$.digest', message: expect.stringContaining('string') },
      ],
    });
    expect((error as Error).message).toContain(`the store record ${key} is not valid: $.name: `);
    // Listing and resolving read every version: they say the same.
    await expect(registry.latest('damaged')).rejects.toMatchObject({ name: 'StoreRecordError', key });
    await expect(registry.list()).rejects.toMatchObject({ name: 'StoreRecordError', key });
  });

  test("a pipeline version's stored IR that is not a pipeline is a StoreRecordError naming its key", async () => {
    const registry = new PipelineRegistry(store);
    const { version } = await registry.upload(helloSpec('torn'), { createdBy: 'test' });
    const key = pipelineSpecKey('torn', version.digest);
    await store.put(key, '{"schemaVersion": "1.0", "pipeline": ');
    await expect(registry.resolve('torn', { version: version.version })).rejects.toMatchObject({
      name: 'StoreRecordError',
      key,
      issues: [{ path: '$', message: expect.stringContaining('not JSON') }],
    });
    // Intact records read back as they were written.
    await store.delete(key);
    await registry.putSpec(helloSpec('torn'));
    expect((await registry.resolve('torn', { version: version.version })).spec).toEqual(helloSpec('torn'));
  });

  test('a malformed run record is a StoreRecordError naming its key; a sound one reads back', async () => {
    const doc: RunStatusDocument = {
      runId: 'kiln-demo-1',
      workflowId: 'kiln-demo-1',
      pipeline: { name: 'demo', digest: 'sha256:00' },
      params: {},
      state: 'SUCCEEDED',
      startedAt: '2025-01-01T00:00:00.000Z',
      tasks: [],
    };
    const key = runRecordKey('demo', 'kiln-demo-1');
    await store.writeJson(key, doc);
    expect(await readRunRecord(store, 'demo', 'kiln-demo-1')).toEqual(doc);
    expect(await readRunRecord(store, 'demo', 'kiln-demo-none')).toBeUndefined();

    await store.writeJson(key, { ...doc, state: 'DONE', tasks: [{ id: 'train' }] });
    const error = await rejection(readRunRecord(store, 'demo', 'kiln-demo-1'));
    expect(error).toMatchObject({ name: 'StoreRecordError', key, retryable: false });
    expect((error as StoreRecordError).issues.map((issue) => issue.path)).toEqual(
      expect.arrayContaining(['$.state', '$.tasks[0].name', '$.tasks[0].state']),
    );
  });

  test('a malformed run origin is a StoreRecordError naming its key', async () => {
    const key = runOriginKey('demo', 'kiln-demo-2');
    await store.writeJson(key, { startedBy: 'ci', pipelineDigest: 'sha256:00', retryOf: 3 });
    await expect(readOrigin(store, 'demo', 'kiln-demo-2')).rejects.toMatchObject({
      name: 'StoreRecordError',
      key,
      issues: [{ path: '$.retryOf', message: expect.any(String) }],
    });
  });
});

test('the API answers a malformed record with a 500 that names the key and what is wrong', () => {
  const record = new StoreRecordError('pipelines/demo/versions/1.json', [{ path: '$.digest', message: 'Required' }]);
  expect(toApiError(record).toJSON()).toEqual({
    error: {
      code: 'internal',
      message: 'the store record pipelines/demo/versions/1.json is not valid: $.digest: Required',
      details: { key: 'pipelines/demo/versions/1.json', issues: [{ path: '$.digest', message: 'Required' }] },
    },
  });
});
