/**
 * The soak's checks can fail: a run as the soak expects it passes, and each kind of damage a crash
 * could do (changed bytes, an output completed twice, a lost run record, a wrong end state) is
 * reported. The damage is written by hand into a real file:// store, because the soak's faults
 * cannot be made to produce it on purpose.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type ArtifactStore } from '@kiln/artifacts';
import type { RunStatusDocument, TaskStatus } from '@kiln/engine-contract';
import { executionKey, executorOutputKey, runRecordKey } from '@kiln/store-layout';
import { expectedRun, type ChaosParams } from './src/pipeline';
import { verifyRun } from './src/verify';

const params: ChaosParams = { seed: 's', rows: 2, shards: ['a', 'b'], threshold: 5, napSeconds: 0, fail: false };
const runId = 'chaos-test-run';
let dir: string;
let store: ArtifactStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kiln-chaos-verify-'));
  store = openStore(`file://${dir}`);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Writes what a faithful run leaves behind and returns its status document. */
async function faithfulRun(): Promise<RunStatusDocument> {
  const tasks: TaskStatus[] = [];
  for (const t of expectedRun(params).tasks) {
    const artifacts: TaskStatus['outputs']['artifacts'] = {};
    for (const [name, content] of Object.entries(t.artifacts)) {
      const key = `runs/chaos-mix/${runId}/tasks/${t.id}/${t.iteration.join('-') || 'x'}/attempt-1/${name}`;
      const stat = await store.put(key, content);
      artifacts[name] = { uri: store.uriFor(key), type: 'dataset', metadata: {}, digest: stat.digest };
    }
    if (t.state === 'succeeded')
      await store.writeJson(
        executorOutputKey(executionKey({ runId, taskId: t.id, iteration: t.iteration, attempt: 1 })),
        {},
      );
    tasks.push({
      id: t.id,
      name: t.id,
      displayName: t.id,
      ...(t.iteration.length > 0 && { iteration: t.iteration }),
      state: t.state,
      attempts: t.state === 'skipped' ? 0 : 1,
      cached: false,
      executor: 'kubernetes',
      outputs: { params: t.params, artifacts },
    });
  }
  const doc: RunStatusDocument = {
    runId,
    workflowId: runId,
    pipeline: { name: 'chaos-mix', digest: 'sha256:0' },
    params: { ...params },
    state: 'SUCCEEDED',
    startedAt: new Date().toISOString(),
    tasks,
  };
  await store.writeJson(runRecordKey('chaos-mix', runId), doc);
  return doc;
}

test('a run that left everything as expected passes every check', async () => {
  const verdict = await verifyRun(store, await faithfulRun(), expectedRun(params));
  expect(verdict.problems).toEqual([]);
  expect(verdict.artifactsVerified).toBe(5);
  expect(verdict.completedOutputs).toBe(6);
});

test('bytes in the store that no longer hash to the recorded digest are reported', async () => {
  const doc = await faithfulRun();
  const joined = doc.tasks.find((t) => t.id === 'join-parts')?.outputs.artifacts['joined'];
  await store.put(store.keyOf(joined?.uri ?? ''), 'something else\n');
  const { problems } = await verifyRun(store, doc, expectedRun(params));
  expect(problems).toEqual([expect.stringMatching(/^join-parts: artifact "joined" in MinIO hashes to sha256:/)]);
});

test('a step whose outputs completed twice is reported', async () => {
  const doc = await faithfulRun();
  await store.writeJson(
    executorOutputKey(executionKey({ runId, taskId: 'tag-shard', iteration: [1], attempt: 2 })),
    {},
  );
  const { problems } = await verifyRun(store, doc, expectedRun(params));
  expect(problems).toEqual([
    'tag-shard[1]: 2 completed output records (executor-output.json) in the store, expected 1',
  ]);
});

test('a lost run record and a run that ended in the wrong state are reported', async () => {
  const doc = await faithfulRun();
  await store.delete(runRecordKey('chaos-mix', runId));
  const { problems } = await verifyRun(store, doc, expectedRun({ ...params, fail: true }));
  expect(problems).toEqual([
    'run ended SUCCEEDED, expected FAILED',
    'final-check: ended succeeded, expected failed',
    'final-check: 1 completed output records (executor-output.json) in the store, expected 0',
    expect.stringMatching(/^the run record cannot be read from MinIO: /),
  ]);
});
