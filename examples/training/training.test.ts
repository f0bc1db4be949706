/**
 * examples/training end to end on the real Temporal dev server, the real local executor and real
 * pandas + scikit-learn (a cached virtualenv; the first build takes about a minute): it deploys
 * at minAccuracy 0.85, and a second run at 0.999 skips the deploy while load, train and evaluate
 * are served from the step cache (same store, same inputs).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile } from '@kiln/dsl';
import type { RunStatusDocument } from '@kiln/engine-contract';
import { training } from './pipeline';
import { startRealEngine, type RealEngine } from '@kiln/testing';

jest.setTimeout(600_000);

const stateOf = (doc: RunStatusDocument, id: string) => doc.tasks.find((t) => t.id === id)?.state;
const describeDoc = (doc: RunStatusDocument) =>
  doc.tasks.map((t) => `${t.id}=${t.state}${t.error ? ` (${t.error.slice(0, 400)})` : ''}`).join('\n');

describe('examples/training with pandas and scikit-learn', () => {
  let engine: RealEngine;
  let dir: string;
  const spec = compile(training);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kiln-training-'));
    engine = await startRealEngine({ root: dir, maxConcurrentActivityTaskExecutions: 4 });
  });
  afterAll(async () => {
    await engine?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('deploys at minAccuracy 0.85, then at 0.999 skips deploy with load/train/evaluate from cache', async () => {
    const endpoint = join(dir, 'deployed');
    const first = await engine.run(spec, { minAccuracy: 0.85, deployEndpoint: endpoint });
    expect({ state: first.doc.state, tasks: describeDoc(first.doc) }).toEqual({
      state: 'SUCCEEDED',
      tasks: expect.any(String),
    });
    for (const id of ['load-data', 'train-model', 'evaluate-model']) expect(stateOf(first.doc, id)).toBe('succeeded');
    expect(stateOf(first.doc, 'deploy-model')).toBe('succeeded');
    const accuracy = first.doc.tasks.find((t) => t.id === 'evaluate-model')?.outputs.params['accuracy'];
    expect(accuracy).toBeGreaterThanOrEqual(0.85);
    expect(accuracy).toBeLessThan(0.999);
    expect(existsSync(join(endpoint, 'model.pkl'))).toBe(true);
    expect(existsSync(join(endpoint, 'manifest.json'))).toBe(true);
    expect(first.doc.tasks.find((t) => t.id === 'deploy-model')?.outputs.params['location']).toBe(
      join(endpoint, 'model.pkl'),
    );
    expect(first.doc.tasks.find((t) => t.id === 'train-model')?.outputs.artifacts['model']?.digest).toMatch(
      /^sha256:[0-9a-f]{64}$/,
    );

    const endpoint2 = join(dir, 'deployed-2');
    const second = await engine.run(spec, { minAccuracy: 0.999, deployEndpoint: endpoint2 });
    expect({ state: second.doc.state, tasks: describeDoc(second.doc) }).toEqual({
      state: 'SUCCEEDED',
      tasks: expect.any(String),
    });
    expect(stateOf(second.doc, 'deploy-model')).toBe('skipped');
    expect(existsSync(join(endpoint2, 'model.pkl'))).toBe(false);
    for (const id of ['load-data', 'train-model', 'evaluate-model']) {
      const t = second.doc.tasks.find((x) => x.id === id);
      expect({ id, state: t?.state, cached: t?.cached }).toEqual({ id, state: 'cached', cached: true });
    }
    // Served from cache: no step process ran in the second run.
    expect(second.calls).toEqual([]);
    expect(second.doc.tasks.find((t) => t.id === 'evaluate-model')?.outputs.params['accuracy']).toBe(accuracy);
  });
});
