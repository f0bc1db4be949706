/**
 * The store-backed activities against a real file:// store: importers, run
 * records and the run context. The cache is exercised with real steps in
 * libs/local-executor's tests.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type ArtifactStore } from '@kiln/artifacts';
import type { RunStatusDocument, StoreActivities } from '@kiln/engine-contract';
import { createStoreActivities, runRecordKey } from '../src';

let dir: string;
let store: ArtifactStore;
let activities: StoreActivities;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiln-store-activities-'));
  store = openStore(`file://${dir}/store`);
  activities = createStoreActivities({ store });
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
  test('importArtifact records the digest and merges metadata; reimport copies the bytes into the store', async () => {
    await writeFile(join(dir, 'outside.csv'), 'a\n');
    const base = {
      runId: 'r',
      taskId: 'imp',
      uri: `file://${dir}/outside.csv`,
      artifactType: 'dataset' as const,
      metadata: { source: 'test' },
    };
    const inPlace = await activities.importArtifact({
      ...base,
      reimport: false,
      targetUri: store.uriFor('runs/r/imp/data'),
    });
    expect(inPlace).toMatchObject({ uri: base.uri, type: 'dataset', metadata: { source: 'test' } });
    expect(inPlace.digest).toMatch(/^sha256:/);
    const copied = await activities.importArtifact({
      ...base,
      reimport: true,
      targetUri: store.uriFor('runs/r/imp/data'),
    });
    expect(copied).toMatchObject({ uri: store.uriFor('runs/r/imp/data'), digest: inPlace.digest });
    expect(await store.readText('runs/r/imp/data')).toBe('a\n');
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
        targetUri: store.uriFor('x'),
      }),
    );
    expect(error).toMatchObject({ type: 'KilnConfigurationError', nonRetryable: true });
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
    expect(await store.readJson('runs/demo/r1/record.json')).toEqual(doc);
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
