/**
 * KFP conformance at run time: every port whose expected file states `runtime` is compiled and
 * run on the real Temporal dev server through the engine with the REAL local executor (launcher
 * child processes, stdlib python components, /bin/sh containers) and a file:// store in a temp
 * folder. All ports run concurrently on one in-process worker; each test then checks one run:
 * final state, per-task states (iteration counts for loop tasks), output values (collected lists in
 * item order), what each exit task sees, and log lines.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { compile, pipeline } from '@kiln/dsl';
import { innerPipeline, printOp1 } from './pipeline_in_pipeline';
import type { JsonValue } from '@kiln/ir';
import type { RunStatusDocument, TaskStatus } from '@kiln/engine';
import { ports, type Port } from './ports';
import type { RuntimeExpectation, ShapeDag, ShapeNode } from './structure';
import { startRealEngine, type RealEngine, type RealRun } from './support/real-engine';

jest.setTimeout(300_000);

const withRuntime = ports.filter((p): p is Port & { expected: { runtime: RuntimeExpectation } } => p.expected.runtime !== undefined);

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
    const spec = JSON.parse(JSON.stringify(compile(port.pipeline)).replaceAll('gs://ml-pipeline-playground/', `file://${IMPORT_DIR}/`));
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

function actualState(entries: TaskStatus[], want: RuntimeExpectation['tasks'][string]): string | Counts {
  const norm = (s: string) => (s === 'cached' ? 'succeeded' : s);
  if (typeof want === 'string') return entries[0] && entries.length === 1 ? norm(entries[0].state) : `${entries.length} entries: ${entries.map((e) => e.state).join(',')}`;
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
 * Ports whose runtime expectations fail because of ENGINE bugs found by this suite (libs/engine is
 * not changed here). Each test still runs in full, as `it.failing`: it passes while the bug is
 * there and turns red once the engine is fixed, so the entry must then be removed.
 */
const KNOWN_ENGINE_BUGS: Record<string, string> = {
  // Sub-pipeline tasks are recorded under their bare inner id (no `<sub-pipeline task>/` prefix) and
  // share id + iteration with outer tasks of the same name, so the status document cannot tell them
  // apart, and executionKey (`<runId>.<id>[.<iter>].<attempt>`) and artifact URIs collide (step.ts,
  // step-support.ts artifactUri; task.ts runSubPipeline keeps no path).
  if_elif_else_with_oneof_parameters: 'sub-pipeline task ids not qualified',
  if_else_with_oneof_artifacts: 'sub-pipeline task ids not qualified',
  pipeline_as_exit_task: 'sub-pipeline task ids not qualified',
  pipeline_in_pipeline: 'sub-pipeline task ids not qualified (inner print-op1 collides with outer print-op1)',
  pipeline_in_pipeline_complex: 'sub-pipeline task ids not qualified (inner print-op1 collides with outer print-op1)',
  pipeline_with_outputs: 'sub-pipeline task ids not qualified',
  // print-text-9 (loop in a condition in a loop): the outer iteration whose condition is false
  // records ONE skipped entry for the never-expanded inner-loop task; the expected file counts
  // only iterations that exist (KFP has no entry). Engine vs expected accounting: lead to decide.
  pipeline_with_loops_and_conditions: 'skipped entry for an inner-loop task whose loop never expanded',
};

const isFinalStatus = (v: unknown): v is { state: string; failedTasks: string[] } =>
  typeof v === 'object' && v !== null && 'state' in v && 'failedTasks' in v;

describe('KFP conformance ports run on the real engine and local executor', () => {
  it('has runtime expectations for most ports', () => {
    expect(withRuntime.length).toBeGreaterThanOrEqual(28);
  });

  describe.each(withRuntime.map((p) => [p.name, p] as const))('%s', (name, port) => {
    const rt = port.expected.runtime;

    const known = KNOWN_ENGINE_BUGS[name];
    (known ? it.failing : it)(`${known ? `[KNOWN ENGINE BUG: ${known}] ` : ''}ends ${rt.state} with the expected task states${rt.outputs ? ', outputs' : ''}${rt.exitSees ? ', exit status' : ''}${rt.logs ? ', logs' : ''}`, async () => {
      const run = await (runs.get(name) as Promise<RealRun>);
      const { doc } = run;
      const context = `${name}: ${run.error ?? ''}\n${doc.tasks.map((t) => `${t.id}${t.iteration ? `[${t.iteration}]` : ''}=${t.state}${t.error ? ` (${t.error.slice(0, 300)})` : ''}`).join('\n')}`;

      // Run state, and task states / per-iteration counts.
      const actualTasks = Object.fromEntries(Object.entries(rt.tasks).map(([id, want]) => [id, actualState(entriesOf(doc, id), want)]));
      expect({ context, state: doc.state, tasks: actualTasks }).toEqual({ context, state: rt.state, tasks: rt.tasks });
      if (rt.state === 'FAILED') {
        for (const [id, want] of Object.entries(rt.tasks)) if (want === 'failed') expect(run.error).toContain(id);
      }

      // Output values; collected lists in item order.
      for (const [key, want] of Object.entries(rt.outputs ?? {})) expect({ key, value: outputValue(doc, key) }).toEqual({ key, value: want });

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
        expect({ task: sees.task, ...seen }).toEqual({ task: sees.task, state: sees.state, failedTasks: [...(sees.failedTasks ?? [])].sort() });
      }

      // Log lines.
      for (const [task, lines] of Object.entries(rt.logs ?? {})) {
        const log = run.log(task);
        for (const line of lines) expect({ task, log }).toEqual({ task, log: expect.stringContaining(line) });
      }
    });
  });

  describe('[KNOWN ENGINE BUG] sub-pipeline task named like an outer task', () => {
    // pipeline_in_pipeline runs outer print-op1('Hello') and inner-pipeline/print-op1('world')
    // concurrently: both step processes run, but the status document keeps ONE `print-op1` entry
    // (recorder key = id + iteration), so the outer task's entry and output are lost.
    it.failing('pipeline_in_pipeline: the status document keeps both print-op1 tasks and their outputs', async () => {
      const run = await (runs.get('pipeline_in_pipeline') as Promise<RealRun>);
      expect(run.calls.filter((c) => c.taskId === 'print-op1').map((c) => c.params['msg']).sort()).toEqual(['Hello', 'world']);
      expect(run.doc.tasks.filter((t) => t.name === 'print-op1').map((t) => t.outputs.params['Output']).sort()).toEqual(['Hello', 'world']);
    });

    // Deterministic data bug: when the inner task runs AFTER the outer one, its executionKey
    // (`<runId>.print-op1.1`) finds the outer task's executor-output record, so the local executor
    // returns 'Hello' without running the step, and inner print-op2 echoes the wrong value
    // (observed: inner print-op1 called with msg 'world', result Output 'Hello'; print-op2 printed 'Hello').
    it.failing('inner print-op1 run after an outer print-op1 gets its own input, not the outer record', async () => {
      const run = await (runs.get(COLLISION) as Promise<RealRun>);
      expect(run.doc.state).toBe('SUCCEEDED');
      expect(run.log('print-op2')).toContain('world');
    });
  });
});
