/**
 * KFP conformance at run time: every port whose expected file states `runtime` is compiled and
 * run on the real Temporal dev server through the engine with the REAL local executor (the
 * launcher in the worker, each step its own process; stdlib python components, /bin/sh
 * containers) and a file:// store in a temp
 * folder. All ports run concurrently on one in-process worker; each test then checks one run:
 * final state, per-task states (iteration counts for loop tasks), output values (collected lists in
 * item order), what each exit task sees, and log lines.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { compile, pipeline } from '@kiln/dsl';
import { innerPipeline, printOp1 } from './pipeline_in_pipeline';
import type { JsonValue } from '@kiln/ir';
import type { RunStatusDocument, TaskStatus } from '@kiln/engine-contract';
import { ports, type Port } from './ports';
import type { RuntimeExpectation, ShapeDag, ShapeNode } from './structure';
import { startRealEngine, type RealEngine, type RealRun } from '@kiln/testing';

jest.setTimeout(300_000);

const withRuntime = ports.filter(
  (p): p is Port & { expected: { runtime: RuntimeExpectation } } => p.expected.runtime !== undefined,
);

/** Local replacements for the gs:// URIs KFP's importer tests use (a local run cannot reach GCS). */
const IMPORT_DIR = '/tmp/kiln-conformance';

let engine: RealEngine;
const COLLISION = 'sub-pipeline-id-collision';
const runs = new Map<string, Promise<RealRun>>();

beforeAll(async () => {
  mkdirSync(IMPORT_DIR, { recursive: true });
  writeFileSync(`${IMPORT_DIR}/shakespeare1.txt`, 'To be, or not to be\n');
  writeFileSync(`${IMPORT_DIR}/shakespeare2.txt`, 'All the world is a stage\n');
  engine = await startRealEngine({ maxConcurrentActivityTaskExecutions: 8 });
  for (const port of withRuntime) {
    const spec = JSON.parse(
      JSON.stringify(compile(port.pipeline)).replaceAll('gs://ml-pipeline-playground/', `file://${IMPORT_DIR}/`),
    );
    const run = engine.run(spec, port.expected.runtime.params ?? {}, { cache: false });
    run.catch(() => undefined); // awaited by its test
    runs.set(port.name, run);
  }
  // The sub-pipeline id collision case below, started with the rest so it does not wait behind them.
  const sequential = pipeline({ name: 'sub-pipeline-id-collision' }, () => {
    const outer = printOp1({ msg: 'Hello' });
    innerPipeline({ msg: 'world' }).after(outer);
  });
  const collision = engine.run(compile(sequential), {}, { cache: false });
  collision.catch(() => undefined);
  runs.set(COLLISION, collision);
  // Wait here for all runs (they share the worker), so no single test carries the whole batch's time.
  await Promise.allSettled(runs.values());
}, 900_000);

afterAll(async () => {
  await Promise.allSettled(runs.values());
  await engine?.close();
});

/** The status-document entries of a task id, `<sub-pipeline task>/<inner task>` for tasks in sub-pipelines. */
function entriesOf(doc: RunStatusDocument, id: string): TaskStatus[] {
  return doc.tasks.filter((t) => t.id === id && !t.batched);
}

type Counts = { succeeded?: number; skipped?: number; failed?: number };

/**
 * A task's state, or for loop tasks the number of entries in each state. A task in an inner loop
 * that never expanded (its condition was false) has one skipped entry per iteration of the loops
 * around it, where KFP has none: the status document names every task that did not run and why
 * (see expected/pipeline_with_loops_and_conditions.ts, print-struct and print-text-9).
 */
function actualState(entries: TaskStatus[], want: RuntimeExpectation['tasks'][string]): string | Counts {
  const norm = (s: string) => (s === 'cached' ? 'succeeded' : s);
  if (typeof want === 'string')
    return entries[0] && entries.length === 1
      ? norm(entries[0].state)
      : `${entries.length} entries: ${entries.map((e) => e.state).join(',')}`;
  const counts: Record<string, number> = {};
  for (const e of entries) counts[norm(e.state)] = (counts[norm(e.state)] ?? 0) + 1;
  return counts;
}

/** The value of `task.output` (a list in iteration order for loop tasks) or `pipeline.<output>`. */
function outputValue(doc: RunStatusDocument, key: string): JsonValue | undefined {
  if (key.startsWith('pipeline.')) {
    const name = key.slice('pipeline.'.length);
    return doc.outputs?.params[name] ?? (doc.outputs?.artifacts[name] as unknown as JsonValue);
  }
  const dot = key.lastIndexOf('.');
  const [task, output] = [key.slice(0, dot), key.slice(dot + 1)];
  const entries = entriesOf(doc, task);
  const values = entries.map((e) => e.outputs.params[output] as JsonValue);
  return entries.some((e) => e.iteration?.length) ? values : values[0];
}

/** Ids of the tasks of the exit handler's body that guards `exitTask` (searched through the whole shape). */
function guardedBody(dag: ShapeDag, exitTask: string): string[] | undefined {
  const ids = (d: ShapeDag): string[] =>
    Object.entries(d).flatMap(([id, n]) => {
      if ('task' in n) return [id, ...(n.sub ? ids(n.sub).map((i) => `${id}/${i}`) : [])];
      return childDags(n).flatMap(ids);
    });
  for (const n of Object.values(dag)) {
    if ('exitHandler' in n && Object.keys(n.exitHandler.exit).includes(exitTask)) return ids(n.exitHandler.body);
    for (const child of childDags(n)) {
      const found = guardedBody(child, exitTask);
      if (found) return found;
    }
  }
  return undefined;
}

function childDags(n: ShapeNode): ShapeDag[] {
  if ('exitHandler' in n) return [n.exitHandler.body, n.exitHandler.exit];
  if ('branches' in n) return n.branches.map((b) => b.dag);
  if ('body' in n) return [n.body];
  return [];
}

/**
 * Ports whose runtime expectations fail because of ENGINE bugs found by this suite. Each test still
 * runs in full, as `it.failing`: it passes while the bug is there and turns red once the engine is
 * fixed, so the entry must then be removed. None are open.
 */
const KNOWN_ENGINE_BUGS: Record<string, string> = {};

const isFinalStatus = (v: unknown): v is { state: string; failedTasks: string[] } =>
  typeof v === 'object' && v !== null && 'state' in v && 'failedTasks' in v;

describe('KFP conformance ports run on the real engine and local executor', () => {
  it('has runtime expectations for most ports', () => {
    expect(withRuntime.length).toBeGreaterThanOrEqual(28);
  });

  describe.each(withRuntime.map((p) => [p.name, p] as const))('%s', (name, port) => {
    const rt = port.expected.runtime;

    const known = KNOWN_ENGINE_BUGS[name];
    (known ? it.failing : it)(
      `${known ? `[KNOWN ENGINE BUG: ${known}] ` : ''}ends ${rt.state} with the expected task states${rt.outputs ? ', outputs' : ''}${rt.exitSees ? ', exit status' : ''}${rt.logs ? ', logs' : ''}`,
      async () => {
        const run = await (runs.get(name) as Promise<RealRun>);
        const { doc } = run;
        const context = `${name}: ${run.error ?? ''}\n${doc.tasks.map((t) => `${t.id}${t.iteration ? `[${t.iteration}]` : ''}=${t.state}${t.error ? ` (${t.error.slice(0, 300)})` : ''}`).join('\n')}`;

        // Run state, and task states / per-iteration counts.
        const actualTasks = Object.fromEntries(
          Object.entries(rt.tasks).map(([id, want]) => [id, actualState(entriesOf(doc, id), want)]),
        );
        expect({ context, state: doc.state, tasks: actualTasks }).toEqual({
          context,
          state: rt.state,
          tasks: rt.tasks,
        });
        if (rt.state === 'FAILED') {
          for (const [id, want] of Object.entries(rt.tasks)) if (want === 'failed') expect(run.error).toContain(id);
        }

        // Output values; collected lists in item order.
        for (const [key, want] of Object.entries(rt.outputs ?? {}))
          expect({ key, value: outputValue(doc, key) }).toEqual({ key, value: want });

        // What each exit task sees: its finalStatus input when it takes one, else the guarded group's outcome.
        for (const sees of rt.exitSees ?? []) {
          const entry = entriesOf(doc, sees.task)[0];
          expect({ task: sees.task, state: entry?.state }).toEqual({ task: sees.task, state: 'succeeded' });
          const call = run.calls.find((c) => c.taskId === sees.task);
          const status = Object.values(call?.params ?? {}).find(isFinalStatus);
          const body = guardedBody(port.expected.root, sees.task) ?? [];
          const failedInBody = doc.tasks.filter((t) => t.state === 'failed' && body.includes(t.id)).map((t) => t.id);
          const seen = status
            ? { state: status.state, failedTasks: [...status.failedTasks].sort() }
            : { state: failedInBody.length ? 'FAILED' : 'SUCCEEDED', failedTasks: failedInBody.sort() };
          expect({ task: sees.task, ...seen }).toEqual({
            task: sees.task,
            state: sees.state,
            failedTasks: [...(sees.failedTasks ?? [])].sort(),
          });
        }

        // Log lines.
        for (const [task, lines] of Object.entries(rt.logs ?? {})) {
          const log = run.log(task);
          for (const line of lines) expect({ task, log }).toEqual({ task, log: expect.stringContaining(line) });
        }
      },
    );
  });

  describe('a sub-pipeline task named like an outer task', () => {
    // pipeline_in_pipeline runs outer print-op1('Hello') and inner-pipeline/print-op1('world')
    // concurrently: each keeps its own status entry and output.
    it('pipeline_in_pipeline: the status document keeps both print-op1 tasks and their outputs', async () => {
      const run = await (runs.get('pipeline_in_pipeline') as Promise<RealRun>);
      expect(run.calls.filter((c) => c.taskId === 'print-op1').map((c) => c.params['msg'])).toEqual(['Hello']);
      expect(run.calls.filter((c) => c.taskId === 'inner-pipeline/print-op1').map((c) => c.params['msg'])).toEqual([
        'world',
      ]);
      expect(
        run.doc.tasks
          .filter((t) => t.name === 'print-op1')
          .map((t) => [t.id, t.outputs.params['Output']])
          .sort(),
      ).toEqual([
        ['inner-pipeline/print-op1', 'world'],
        ['print-op1', 'Hello'],
      ]);
    });

    // The inner task runs AFTER the outer one: its execution key must not find the outer task's
    // executor-output record (before sub-pipeline paths, the local executor returned 'Hello' without
    // running the inner step, and inner print-op2 printed 'Hello').
    it('inner print-op1 run after an outer print-op1 gets its own input, not the outer record', async () => {
      const run = await (runs.get(COLLISION) as Promise<RealRun>);
      expect(run.doc.state).toBe('SUCCEEDED');
      expect(entriesOf(run.doc, 'inner-pipeline/print-op1')[0]?.outputs.params['Output']).toBe('world');
      expect(run.log('inner-pipeline/print-op2')).toContain('world');
    });
  });
});
