/**
 * Replay: histories recorded from real runs, committed under test/replay/, are
 * replayed through the current workflow code. A failure means a change would
 * break runs in flight: put it behind `patched()` (see CONTRIBUTING), or, for an
 * intended change, re-record with `KILN_RECORD_REPLAY=1 npx nx run engine:test -- replay`
 * and add the new fixture next to the old ones (keep the old ones).
 */
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kilnWorkflowBundle, statusQuery } from '../src/index';
import { startHarness, type Harness } from './support/harness';
import { c, cmp, dag, item, out, pipeline, task } from './support/ir';

const fixtures = join(__dirname, 'replay');
const record = process.env['KILN_RECORD_REPLAY'] === '1';

/** One pipeline touching every node type, a retry, a failure and the exit handler. */
const everything = pipeline('replay-everything', {
  guard: {
    type: 'exitHandler',
    dependsOn: [],
    body: dag({
      prepare: task({ value: c('yes') }),
      gate: {
        type: 'condition',
        dependsOn: ['prepare'],
        branches: [
          { when: cmp('eq', { kind: 'output', task: 'prepare', output: 'out' }, { kind: 'constant', value: 'yes' }), dag: dag({ yes: task() }) },
          { dag: dag({ no: task() }) },
        ],
      },
      fan: { type: 'loop', dependsOn: [], items: c([1, 2, 3]), parallelism: 2, body: dag({ each: task({ value: item('fan') }) }) },
      gather: task({ value: { kind: 'collected', loop: 'fan', task: 'each', output: 'out' } }, { after: ['fan'] }),
      flaky: task({ failAttempts: c(1) }, { settings: { retry: { maxAttempts: 2, initialBackoffSeconds: 0.05, backoffFactor: 1, maxBackoffSeconds: 1, retryOn: ['user'] } } }),
      broken: task({ exitCode: c(1) }),
      skipped: task({ value: out('broken') }),
    }),
    exit: dag({ notify: task({ status: { kind: 'finalStatus' } }) }),
  },
});

const batched = pipeline('replay-batched', {
  fan: { type: 'loop', dependsOn: [], items: c([0, 1, 2, 3, 4, 5, 6]), body: dag({ each: task({ value: item('fan') }) }) },
  gather: task({ value: { kind: 'collected', loop: 'fan', task: 'each', output: 'out' } }, { after: ['fan'] }),
});

const cancelled = pipeline('replay-cancelled', {
  guard: {
    type: 'exitHandler',
    dependsOn: [],
    body: dag({ long: task({ sleepMs: c(30_000) }) }),
    exit: dag({ cleanup: task({ status: { kind: 'finalStatus' } }) }),
  },
});

/**
 * Fixtures are protobuf's object form of the history as JSON (longs and enums as
 * strings, bytes as base64). Not the CLI's JSON: `historyFromJSON` fails in this
 * workspace because npm installed several copies of protobufjs (see the report).
 */
const History = temporal.api.history.v1.History;
const toJson = (workflowId: string, history: temporal.api.history.v1.IHistory) =>
  JSON.stringify(
    { workflowId, history: History.toObject(History.fromObject(history), { longs: String, enums: String, bytes: String }) },
    null,
    1,
  );
const fromJson = (json: string) => {
  const fixture = JSON.parse(json) as { workflowId: string; history: Record<string, unknown> };
  return { workflowId: fixture.workflowId, history: History.fromObject(fixture.history) };
};

async function saveHistories(h: Harness, name: string, workflowIds: string[]) {
  for (const [i, workflowId] of workflowIds.entries()) {
    const history = await h.client.workflow.getHandle(workflowId).fetchHistory();
    writeFileSync(join(fixtures, `${name}${i ? `-child-${i}` : ''}.json`), toJson(workflowId, history));
  }
}

(record ? describe : describe.skip)('recording replay fixtures', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    mkdirSync(fixtures, { recursive: true });
  }, 120_000);
  afterAll(() => h?.close());

  it('records histories of representative runs', async () => {
    const a = await h.run(everything);
    await saveHistories(h, 'v1-everything', [a.workflowId]);
    const b = await h.run(batched, {}, { loopBatchSize: 3 });
    const children = b.doc.tasks.find((t) => t.batched)?.batched?.childWorkflowIds ?? [];
    await saveHistories(h, 'v1-batched', [b.workflowId, ...children]);
    const handle = await h.start(cancelled);
    for (let i = 0; i < 100; i++) {
      const doc = await handle.query(statusQuery);
      if (doc.tasks.some((t) => t.state === 'running')) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await handle.cancel();
    await handle.result().catch(() => undefined);
    await saveHistories(h, 'v1-cancelled', [handle.workflowId]);
  }, 120_000);
});

describe('replay', () => {
  it('replays every committed history through the current workflow code without nondeterminism', async () => {
    const files = readdirSync(fixtures).filter((f) => f.endsWith('.json')).sort();
    expect(files.length).toBeGreaterThanOrEqual(3);
    const histories = files.map((file) => fromJson(readFileSync(join(fixtures, file), 'utf8')));
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories({ workflowBundle: await kilnWorkflowBundle() }, histories)) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
