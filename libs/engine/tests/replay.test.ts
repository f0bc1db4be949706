/**
 * Replay: histories recorded from real runs, committed under test/replay/, are
 * replayed through the current workflow code. A failure means a change would
 * break runs in flight: put it behind `patched()` (see CONTRIBUTING) and record a
 * fixture of the new behaviour: add a recording below under a new name and run
 * `KILN_RECORD_REPLAY=1 npx jest -c libs/engine/tests/jest.config.cjs replay`. The
 * recorder writes only fixtures that do not exist yet: the old histories are the
 * point, they stand for runs started by older code.
 *
 * Fixtures: `v1-*` were recorded before sub-pipeline tasks had paths (patch
 * `kiln-subpipeline-paths`); `v1-subpipelines*` is the `subpipelines` pipeline
 * below recorded by that older code (commit 20bff95), `v2-subpipelines*` the same
 * pipeline recorded with the patch. `v2-shared-loop-ids*` is the `sharedLoopIds`
 * pipeline below recorded by the code before patch `kiln-collect-paths-per-dag`
 * (commit 354b3a7: one collect-path table for the whole spec, so the sub-pipeline's
 * fan-in came out flat and its loop over it ran no iteration); `v3-shared-loop-ids*`
 * the same pipeline recorded with the patch, whose loop batch children get the
 * collect paths of their DAG in their input. `v3-artifact-shaped*` is the
 * `artifactShaped` pipeline recorded by the code before runtime values were tagged
 * (commit 35ff846: an object parameter with `uri` and `type` came out as an artifact
 * output, and loop batch children got untagged scope parameters); `v4-artifact-shaped*`
 * the same pipeline recorded with patch `kiln-tagged-values` (the object is a parameter
 * output, the children get tagged parameters). `v5-loop-parallelism` is the `wideLoop`
 * pipeline below recorded by the code before patch `kiln-loop-parallelism` (commit c4fd3cf:
 * its loop's parallelism 40 capped at the default 32), `v6-loop-parallelism` the same with
 * the patch (all 40 iterations at once). `v6-cache-no-summary` is the `everything` pipeline with
 * the cache on, recorded by the code before patch `kiln-cache-summary` (commit 3b09b30: cache
 * activities without a summary), `v7-cache-summary` the same with the patch (they carry the
 * step's name as their summary). `v6-param-depth-limit` is a run started with
 * parameters 2,000 levels deep, failed at once by patch `kiln-param-depth-limit`. `v6-attempt-history` is the `everything`
 * pipeline recorded once tasks kept their attempt history (its retried `flaky` task has two).
 * `v8-current-code*` (the `everything` pipeline with the cache on, and `batched`) are recorded with patch
 * `kiln-local-run-context`: the run context and the run record are local activities, and a run records
 * that one patch marker, which stands for every older patch (`patches.ts`).
 */
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import type { Component, JsonValue } from '@kiln/ir';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { statusQuery, type RunStatusDocument } from '@kiln/engine-contract';
import { kilnWorkflowBundle } from '@kiln/engine-worker';
import { startHarness, type Harness } from './support/harness';
import { artifactShaped } from './support/artifact-shaped';
import { c, cmp, dag, item, out, p, pipeline, task } from './support/ir';

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
          {
            when: cmp('eq', { kind: 'output', task: 'prepare', output: 'out' }, { kind: 'constant', value: 'yes' }),
            dag: dag({ yes: task() }),
          },
          { dag: dag({ no: task() }) },
        ],
      },
      fan: {
        type: 'loop',
        dependsOn: [],
        items: c([1, 2, 3]),
        parallelism: 2,
        body: dag({ each: task({ value: item('fan') }) }),
      },
      gather: task({ value: { kind: 'collected', loop: 'fan', task: 'each', output: 'out' } }, { after: ['fan'] }),
      flaky: task(
        { failAttempts: c(1) },
        {
          settings: {
            retry: {
              maxAttempts: 2,
              initialBackoffSeconds: 0.05,
              backoffFactor: 1,
              maxBackoffSeconds: 1,
              retryOn: ['user'],
            },
          },
        },
      ),
      broken: task({ exitCode: c(1) }),
      skipped: task({ value: out('broken') }),
    }),
    exit: dag({ notify: task({ status: { kind: 'finalStatus' } }) }),
  },
});

const batched = pipeline('replay-batched', {
  fan: {
    type: 'loop',
    dependsOn: [],
    items: c([0, 1, 2, 3, 4, 5, 6]),
    body: dag({ each: task({ value: item('fan') }) }),
  },
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

/** A sub-pipeline whose task `same` shares its id with an outer task. */
const wrapper: Component = {
  name: 'wrapper',
  inputs: { value: { kind: 'param', type: 'string' } },
  outputs: { out: { kind: 'param', type: 'string' } },
  implementation: { type: 'dag', dag: dag({ same: task({ value: p('value') }) }), outputs: { out: out('same') } },
};

/**
 * Sub-pipelines: one whose inner task is named like an outer task and runs after
 * it, nested ones inside a loop, one holding a loop run in child-workflow batches
 * (with `loopBatchSize: 2`), and a `podTtlSeconds` setting.
 */
const subpipelines = pipeline(
  'replay-subpipelines',
  {
    same: task({ value: c('outer') }),
    wrap: task({ value: c('inner') }, { component: 'wrapper', after: ['same'] }),
    fan: {
      type: 'loop',
      dependsOn: [],
      items: c(['a', 'b']),
      body: dag({ deep: task({ value: item('fan') }, { component: 'nest' }) }),
    },
    looped: task({}, { component: 'looper' }),
  },
  {
    settings: { podTtlSeconds: 60 },
    components: {
      wrapper,
      nest: {
        name: 'nest',
        inputs: { value: { kind: 'param', type: 'string' } },
        outputs: { out: { kind: 'param', type: 'string' } },
        implementation: {
          type: 'dag',
          dag: dag({ same: task({ value: p('value') }), wrap: task({ value: out('same') }, { component: 'wrapper' }) }),
          outputs: { out: out('wrap') },
        },
      },
      looper: {
        name: 'looper',
        inputs: {},
        outputs: { out: { kind: 'param', type: 'list' } },
        implementation: {
          type: 'dag',
          dag: dag({
            inner: {
              type: 'loop',
              dependsOn: [],
              items: c([1, 2, 3]),
              body: dag({ each: task({ value: item('inner') }) }),
            },
          }),
          outputs: { out: { kind: 'collected', loop: 'inner', task: 'each', output: 'out' } },
        },
      },
    },
  },
);

const collected = (loop: string, producer: string) =>
  ({ kind: 'collected', loop, task: producer, output: 'out' }) as const;

/**
 * A root DAG and a sub-pipeline sharing loop and task ids (`for-loop-1`/`print-op`,
 * as the DSL names them), nested differently. The sub-pipeline loops over its own
 * fan-in, so the depth that fan-in gets decides how many iterations run. Loops of
 * more than two items run in batch children (`loopBatchSize: 2`), one of them
 * reading the fan-in of an earlier loop in its body.
 */
const sharedLoopIds = pipeline(
  'replay-shared-loop-ids',
  {
    'for-loop-1': {
      type: 'loop',
      dependsOn: [],
      items: c(['r1', 'r2']),
      body: dag({ 'print-op': task({ value: item('for-loop-1') }) }),
    },
    'for-loop-3': {
      type: 'loop',
      dependsOn: ['for-loop-1'],
      items: c(['x', 'y', 'z']),
      body: dag({ 'use-all': task({ value: item('for-loop-3'), items: collected('for-loop-1', 'print-op') }) }),
    },
    inner: task({}, { component: 'inner-pipeline' }),
  },
  {
    components: {
      'inner-pipeline': {
        name: 'inner-pipeline',
        inputs: {},
        outputs: { out: { kind: 'param', type: 'list' } },
        implementation: {
          type: 'dag',
          dag: dag({
            'for-loop-1': {
              type: 'loop',
              dependsOn: [],
              items: c([['n1', 'n2'], ['n3'], ['n4']]),
              body: dag({
                'for-loop-2': {
                  type: 'loop',
                  dependsOn: [],
                  items: item('for-loop-1'),
                  body: dag({ 'print-op': task({ value: item('for-loop-2') }) }),
                },
              }),
            },
            'for-loop-3': {
              type: 'loop',
              dependsOn: ['for-loop-1'],
              items: collected('for-loop-1', 'print-op'),
              body: dag({ each: task({ items: item('for-loop-3') }) }),
            },
          }),
          outputs: { out: collected('for-loop-1', 'print-op') },
        },
      },
    },
  },
);

/** A loop asking for more than the run's default parallelism of 32. */
const wideLoop = pipeline('replay-wide-loop', {
  fan: {
    type: 'loop',
    dependsOn: [],
    items: c(Array.from({ length: 40 }, (_, i) => i)),
    parallelism: 40,
    body: dag({ each: task({ value: item('fan') }) }),
  },
});

const childWorkflowIds = (doc: RunStatusDocument) => doc.tasks.flatMap((t) => t.batched?.childWorkflowIds ?? []);

/**
 * What the recorder can record, by fixture name; each returns the workflow ids
 * to save (the run first, then its loop batch children).
 */
const recordings: Record<string, (h: Harness) => Promise<string[]>> = {
  'v1-everything': async (h) => [(await h.run(everything)).workflowId],
  'v1-batched': async (h) => {
    const { doc, workflowId } = await h.run(batched, {}, { loopBatchSize: 3 });
    return [workflowId, ...childWorkflowIds(doc)];
  },
  'v1-cancelled': async (h) => {
    const handle = await h.start(cancelled);
    for (let i = 0; i < 100; i++) {
      const doc = await handle.query(statusQuery);
      if (doc.tasks.some((t) => t.state === 'running')) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await handle.cancel();
    await handle.result().catch(() => undefined);
    return [handle.workflowId];
  },
  'v2-subpipelines': async (h) => {
    const { doc, workflowId } = await h.run(subpipelines, {}, { loopBatchSize: 2 });
    if (doc.state !== 'SUCCEEDED') throw new Error(`replay-subpipelines ended ${doc.state}: ${doc.error ?? ''}`);
    return [workflowId, ...childWorkflowIds(doc)];
  },
  // Parameters nested past the input limit fail the run as invalid parameters (patch kiln-param-depth-limit).
  'v6-param-depth-limit': async (h) => {
    let deep: JsonValue = 'x';
    for (let i = 0; i < 2000; i++) deep = [deep];
    const handle = await h.start(everything, { deep });
    const failure = await handle.result().then(
      () => 'the run succeeded',
      (error: unknown) =>
        error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error),
    );
    if (!failure.includes('the limit on nesting depth is 128'))
      throw new Error(`replay-param-depth did not fail on its parameters: ${failure}`);
    return [handle.workflowId];
  },
  // Exit tasks' final status names the exit handler (`group`, patch kiln-final-status-group).
  'v5-final-status-group': async (h) => [(await h.run(everything)).workflowId],
  // Tasks keep every attempt in `attemptHistory` (status document only: no command changed, so no patch).
  'v6-attempt-history': async (h) => {
    const { doc, workflowId } = await h.run(everything);
    const flaky = doc.tasks.find((t) => t.id === 'flaky');
    if (flaky?.attemptHistory?.map((a) => a.state).join() !== 'failed,succeeded') {
      throw new Error(`replay-everything recorded attempts ${JSON.stringify(flaky?.attemptHistory)}`);
    }
    return [workflowId];
  },
  'v4-artifact-shaped': async (h) => {
    const { doc, workflowId } = await h.run(artifactShaped, {}, { loopBatchSize: 2 });
    if (doc.state !== 'SUCCEEDED' || doc.outputs?.artifacts['config']) {
      throw new Error(`replay-artifact-shaped ended ${doc.state} with outputs ${JSON.stringify(doc.outputs)}`);
    }
    return [workflowId, ...childWorkflowIds(doc)];
  },
  'v5-loop-parallelism': async (h) => [(await h.run(wideLoop)).workflowId],
  // The loop's parallelism 40 above the default 32 (patch kiln-loop-parallelism).
  'v6-loop-parallelism': async (h) => [(await h.run(wideLoop)).workflowId],
  'v6-cache-no-summary': async (h) => [(await h.run(everything, {}, { cache: true })).workflowId],
  'v7-cache-summary': async (h) => [(await h.run(everything, {}, { cache: true })).workflowId],
  // Run context and run record from local activities, and one patch marker for every patch (kiln-local-run-context).
  'v8-current-code': async (h) => [(await h.run(everything, {}, { cache: true })).workflowId],
  'v8-current-code-batched': async (h) => {
    const { doc, workflowId } = await h.run(batched, {}, { loopBatchSize: 3 });
    return [workflowId, ...childWorkflowIds(doc)];
  },
  'v3-shared-loop-ids': async (h) => {
    const { doc, workflowId } = await h.run(sharedLoopIds, {}, { loopBatchSize: 2 });
    const inner = doc.tasks.find((t) => t.id === 'inner')?.outputs.params['out'];
    if (doc.state !== 'SUCCEEDED' || JSON.stringify(inner) !== JSON.stringify([['n1', 'n2'], ['n3'], ['n4']])) {
      throw new Error(
        `replay-shared-loop-ids ended ${doc.state}, inner-pipeline gave ${JSON.stringify(inner)}: ${doc.error ?? ''}`,
      );
    }
    return [workflowId, ...childWorkflowIds(doc)];
  },
};

/**
 * Fixtures are protobuf's object form of the history as JSON (longs and enums as
 * strings, bytes as base64). Not the CLI's JSON: `historyFromJSON` fails in this
 * workspace because npm installed several copies of protobufjs (see the report).
 */
const History = temporal.api.history.v1.History;
const toJson = (workflowId: string, history: temporal.api.history.v1.IHistory) =>
  JSON.stringify(
    {
      workflowId,
      history: History.toObject(History.fromObject(history), { longs: String, enums: String, bytes: String }),
    },
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

  it('records the histories of representative runs that have no fixture yet', async () => {
    const missing = Object.entries(recordings).filter(([name]) => !existsSync(join(fixtures, `${name}.json`)));
    for (const [name, run] of missing) await saveHistories(h, name, await run(h));
    console.info(
      missing.length
        ? `recorded: ${missing.map(([name]) => name).join(', ')}`
        : 'every fixture exists; nothing recorded',
    );
  }, 120_000);
});

describe('replay', () => {
  it('replays every committed history through the current workflow code without nondeterminism', async () => {
    const files = readdirSync(fixtures)
      .filter((f) => f.endsWith('.json'))
      .sort();
    expect(files.length).toBeGreaterThanOrEqual(3);
    const histories = files.map((file) => fromJson(readFileSync(join(fixtures, file), 'utf8')));
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories({ workflowBundle: await kilnWorkflowBundle() }, histories)) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
