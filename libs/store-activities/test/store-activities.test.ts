/**
 * The store-backed activities against a real file:// store: importers, run
 * records and the run context; and what a malformed cache entry gives, on a
 * real file:// and s3:// (MinIO) store. The cache is exercised with real steps
 * in libs/local-executor's tests.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type ArtifactStore } from '@kiln/artifacts';
import type { CacheLookupRequest, RunStatusDocument, StoreActivities } from '@kiln/engine-contract';
import { cacheEntryKey, runRecordKey, runRecordSchema } from '@kiln/store-layout';
import { getTestEnvironment } from '@kiln/testenv';
import { computeFingerprint, createStoreActivities } from '../src';

let dir: string;
let store: ArtifactStore;
let activities: StoreActivities;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiln-store-activities-'));
  store = openStore(`file://${dir}/store`);
  // This test's folder is the one place its file: importers may read.
  activities = createStoreActivities({ store, importRoots: [dir] });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the activity to fail');
    },
    (error: unknown) => error,
  );
}

describe('store-backed activities', () => {
  test("importArtifact records the digest and merges metadata; reimport copies the bytes into the run's outputs", async () => {
    await writeFile(join(dir, 'outside.csv'), 'a\n');
    const base = {
      runId: 'r',
      pipelineName: 'demo',
      taskId: 'imp',
      iteration: [],
      artifactRoot: store.url,
      output: 'data',
      uri: `file://${dir}/outside.csv`,
      artifactType: 'dataset' as const,
      metadata: { source: 'test' },
    };
    const inPlace = await activities.importArtifact({ ...base, reimport: false });
    expect(inPlace).toMatchObject({ uri: base.uri, type: 'dataset', metadata: { source: 'test' } });
    expect(inPlace.digest).toMatch(/^sha256:/);
    const copied = await activities.importArtifact({ ...base, reimport: true });
    const target = 'runs/demo/r/tasks/imp/attempt-1/data';
    expect(copied).toMatchObject({ uri: store.uriFor(target), digest: inPlace.digest });
    expect(await store.readText(target)).toBe('a\n');
  });

  test('importArtifact of a request from an older history copies to the targetUri it names', async () => {
    await writeFile(join(dir, 'outside.csv'), 'b\n');
    const copied = await activities.importArtifact({
      runId: 'r',
      taskId: 'imp',
      uri: `file://${dir}/outside.csv`,
      artifactType: 'dataset',
      metadata: {},
      reimport: true,
      targetUri: store.uriFor('runs/r/imp/attempt-1/data'),
    });
    expect(copied.uri).toBe(store.uriFor('runs/r/imp/attempt-1/data'));
    expect(await store.readText('runs/r/imp/attempt-1/data')).toBe('b\n');
  });

  test('importing a URI that does not exist is a non-retryable configuration failure', async () => {
    const error = await failureOf(
      activities.importArtifact({
        runId: 'r',
        taskId: 'imp',
        uri: `file://${dir}/missing.csv`,
        artifactType: 'dataset',
        metadata: {},
        reimport: false,
        pipelineName: 'demo',
        iteration: [],
        artifactRoot: store.url,
        output: 'data',
      }),
    );
    expect(error).toMatchObject({ type: 'KilnConfigurationError', nonRetryable: true });
  });

  describe('file: importers read only under the allowed import roots', () => {
    const importOf = (uri: string) => ({
      runId: 'r',
      taskId: 'imp',
      uri,
      artifactType: 'dataset' as const,
      metadata: {},
      reimport: true,
      pipelineName: 'demo',
      iteration: [],
      artifactRoot: store.url,
      output: 'data',
    });

    test('a worker with no import roots (the default) refuses file:///etc/passwd, saying how to allow a folder', async () => {
      const strict = createStoreActivities({ store });
      const error = await failureOf(strict.importArtifact(importOf('file:///etc/passwd')));
      expect(error).toMatchObject({ type: 'KilnConfigurationError', nonRetryable: true });
      expect((error as Error).message).toBe(
        'importer imp asks for file:///etc/passwd, a file outside the artifact store: file: importers may read only under an allowed import root, ' +
          'and this worker allows none (set KILN_IMPORT_ROOTS to the folders file: importers may read)',
      );
      expect(await store.exists('runs/demo/r/tasks/imp/attempt-1/data')).toBe(false);
    });

    test('outside the roots is refused, and so is a link under a root that points outside it', async () => {
      await expect(activities.importArtifact(importOf('file:///etc/passwd'))).rejects.toThrow(
        `this worker allows only ${dir} (KILN_IMPORT_ROOTS)`,
      );
      await symlink('/etc/passwd', join(dir, 'innocent.csv'));
      await expect(activities.importArtifact(importOf(`file://${dir}/innocent.csv`))).rejects.toThrow(
        `asks for file://${dir}/innocent.csv (a link to /etc/passwd), a file outside the artifact store`,
      );
      await expect(activities.importArtifact(importOf(`file://${dir}/../../etc/passwd`))).rejects.toThrow(
        /ImportRefused|outside/,
      );
      expect(await store.exists('runs/demo/r/tasks/imp/attempt-1/data')).toBe(false);
    });

    test('an artifact already in the store imports whatever the roots', async () => {
      await store.put('datasets/in-store.csv', 'x\n');
      const strict = createStoreActivities({ store });
      const ref = await strict.importArtifact({ ...importOf(store.uriFor('datasets/in-store.csv')), reimport: false });
      expect(ref.digest).toMatch(/^sha256:/);
    });
  });

  test('saveRunRecord writes runs/<pipeline>/<runId>/record.json', async () => {
    const doc: RunStatusDocument = {
      runId: 'r1',
      workflowId: 'wf',
      pipeline: { name: 'demo', digest: 'sha256:00' },
      params: {},
      state: 'SUCCEEDED',
      startedAt: 's',
      tasks: [],
    };
    await activities.saveRunRecord(doc);
    expect(runRecordKey('demo', 'r1')).toBe('runs/demo/r1/record.json');
    expect(await store.readJson('runs/demo/r1/record.json', runRecordSchema)).toEqual(doc);
  });

  test('resolveRunContext defaults the artifact root to the store and digests the spec', async () => {
    const spec = {
      schemaVersion: '1.0',
      pipeline: { name: 'demo' },
      params: {},
      settings: {},
      components: {},
      root: { tasks: {} },
      outputs: {},
    };
    const ctx = await activities.resolveRunContext({ runId: 'r', workflowId: 'w', spec });
    expect(ctx.artifactRoot).toBe(store.url);
    expect(ctx.pipelineDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(
      (await activities.resolveRunContext({ runId: 'r', workflowId: 'w', spec, artifactRoot: 'file:///x/' }))
        .artifactRoot,
    ).toBe('file:///x');
  });
});

/** A real file:// store in a temp folder, or a fresh prefix of the test MinIO. */
const backends: { name: string; open(): Promise<{ store: ArtifactStore; close(): Promise<void> }> }[] = [
  {
    name: 'file',
    async open() {
      const folder = await mkdtemp(join(tmpdir(), 'kiln-store-activities-'));
      return { store: openStore(`file://${folder}/store`), close: () => rm(folder, { recursive: true, force: true }) };
    },
  },
  {
    name: 's3',
    async open() {
      const { minio } = getTestEnvironment(['minio']);
      const s3 = openStore(`s3://${minio.bucket}/store-activities/${randomUUID()}`, {
        s3: { endpoint: minio.endpoint, accessKey: minio.accessKey, secretKey: minio.secretKey },
      });
      return { store: s3, close: () => s3.delete('cache') };
    },
  },
];

describe.each(backends)('a malformed cache entry ($name store)', (backend) => {
  let opened: { store: ArtifactStore; close(): Promise<void> };
  beforeEach(async () => {
    opened = await backend.open();
  });
  afterEach(async () => {
    await opened.close();
  });

  const lookup: CacheLookupRequest = {
    pipelineName: 'demo',
    taskId: 'train',
    component: {
      name: 'train',
      inputs: {},
      outputs: {},
      implementation: { type: 'container', image: 'alpine:3.20', command: ['true'] },
    },
    inputs: { params: { n: 1 }, artifacts: {} },
    outputs: { params: {}, artifacts: {} },
  };

  test('fails the lookup for good, naming the key and what is wrong', async () => {
    const { store: s } = opened;
    const key = cacheEntryKey(await computeFingerprint(lookup, s));
    // An entry of another shape: its result lacks the exit code.
    await s.writeJson(key, {
      fingerprint: 'x',
      runId: 'r0',
      taskId: 'train',
      createdAt: 'now',
      result: { outputs: {} },
    });
    const error = await failureOf(createStoreActivities({ store: s }).lookupCache(lookup));
    expect(error).toMatchObject({ type: 'KilnConfigurationError', nonRetryable: true });
    expect((error as Error).message).toContain(`the store record ${key} is not valid: $.result.exitCode`);
    expect((error as Error).cause).toMatchObject({ name: 'StoreRecordError', key, retryable: false });
  });

  test('an entry that is not JSON is refused the same way', async () => {
    const { store: s } = opened;
    const key = cacheEntryKey(await computeFingerprint(lookup, s));
    await s.put(key, 'not json at all');
    const error = await failureOf(createStoreActivities({ store: s }).lookupCache(lookup));
    expect(error).toMatchObject({ type: 'KilnConfigurationError', nonRetryable: true });
    expect((error as Error).message).toContain(`the store record ${key} is not valid: $: not JSON`);
  });
});
