/**
 * The KFP YAML corpus: every pipelines/<name>.py is compiled to YAML by the
 * pinned KFP SDK (tools/bench/kfp/setup.sh: kfp and kfp-kubernetes 2.17.3 in a
 * cached virtualenv) when the test starts, translated by @kiln/kfp, validated
 * as Kiln IR and compared with expected/<name>.ts — or, for what Kiln cannot
 * express, refused with the expected YAML paths and KFP features. The README
 * table must agree with the expectations.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { validateSpec } from '@kiln/ir';
import { detectKfp, KfpTranslationError, translateKfpComponent, translateKfpPipeline } from '@kiln/kfp';
import type { RunStatusDocument } from '@kiln/engine-contract';
import { failureReport, outcomeOf, startCorpusRunner, type CorpusRunner, type Executor } from './test/corpus-runs';
import type { Expectation } from './expectation';
import { expectations } from './expected';
import {
  bindingText,
  componentShape,
  dagShape,
  paramsText,
  project,
  type ComponentShape,
  type ShapeDag,
  type ShapeNode,
} from './shape';

function workspaceRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'nx.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('no nx.json above this test');
    dir = parent;
  }
  return dir;
}

const pipelineNames = readdirSync(join(__dirname, 'pipelines'))
  .filter((f) => f.endsWith('.py') && !f.startsWith('_'))
  .map((f) => f.slice(0, -3))
  .sort();

const compiled = new Map<string, { yaml?: string; error?: string }>();
let outDir = '';

beforeAll(() => {
  const python = execFileSync('bash', [join(workspaceRoot(), 'tools/bench/kfp/setup.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
  outDir = mkdtempSync(join(tmpdir(), 'kiln-kfp-yaml-'));
  const lines = execFileSync(python, [join(__dirname, 'compile.py'), outDir], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  for (const line of lines.trim().split('\n')) {
    const result = JSON.parse(line) as { name: string; yaml?: string; error?: string };
    compiled.set(result.name, result);
  }
}, 600_000);

let runner: CorpusRunner | undefined;
/** Every run, started at once in beforeAll so they share the worker; each test awaits its own. */
const runs = new Map<string, Promise<RunStatusDocument>>();
const runKey = (name: string, executor: Executor) => `${name}@${executor}`;

beforeAll(async () => {
  // importer_parameter imports this file (its default URI names a bucket the test servers lack).
  mkdirSync('/tmp/kiln-kfp-yaml/imported', { recursive: true });
  writeFileSync('/tmp/kiln-kfp-yaml/imported/model.txt', 'a model\n');
  runner = await startCorpusRunner(join(outDir, 'work'));
  for (const name of pipelineNames) {
    const e = expectations[name] as Expectation;
    if (!e.run || !compiled.get(name)?.yaml) continue;
    const spec = translateKfpPipeline(yamlOf(name), { source: `${name}.yaml` });
    const executors: Executor[] = e.run.executors ?? ['local'];
    for (const executor of executors) {
      const started = runner.run(spec, e.run.params ?? {}, executor);
      // Awaited by the test; a failure here must not be an unhandled rejection meanwhile.
      started.catch(() => undefined);
      runs.set(runKey(name, executor), started);
    }
  }
}, 300_000);

afterAll(async () => {
  await runner?.stop();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

function yamlOf(name: string): string {
  const result = compiled.get(name);
  if (!result?.yaml) throw new Error(`${name}.py did not compile:\n${result?.error ?? 'not compiled'}`);
  return readFileSync(result.yaml, 'utf8');
}

/** Expected shapes are written in any order and may spell out `after: []`. */
function normalize(dag: ShapeDag): ShapeDag {
  return Object.fromEntries(Object.entries(dag).map(([id, node]) => [id, normalizeNode(node)]));
}

function normalizeNode(node: ShapeNode): ShapeNode {
  const after = node.after && node.after.length > 0 ? { after: [...node.after].sort() } : {};
  if ('task' in node) {
    const { after: _after, ...task } = node;
    return { ...task, ...after };
  }
  if ('if' in node) return { if: node.if.map((b) => ({ ...b, then: normalize(b.then) })), ...after };
  if ('loop' in node) {
    const { after: _after, body, ...loop } = node;
    return { ...loop, body: normalize(body), ...after };
  }
  return { exitHandler: normalize(node.exitHandler), exit: normalize(node.exit), ...after };
}

function refusalsOf(text: string): { path: string; feature: string }[] {
  try {
    translateKfpPipeline(text);
  } catch (error) {
    if (error instanceof KfpTranslationError) return error.problems.map((p) => ({ path: p.path, feature: p.feature }));
    throw error;
  }
  return [];
}

const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

test('every pipeline has an expectation file and every expectation a pipeline', () => {
  expect(Object.keys(expectations).sort()).toEqual(pipelineNames);
  expect(pipelineNames.length).toBeGreaterThanOrEqual(41);
});

describe.each(pipelineNames.map((name) => [name, expectations[name] as Expectation] as const))('%s', (name, e) => {
  test(`compiles with the pinned KFP SDK and is recognised as KFP ${e.kind ?? 'pipeline'} YAML`, () => {
    expect(detectKfp(yamlOf(name))).toBe(e.kind ?? 'pipeline');
  });

  if (e.translated) {
    const want = e.translated;
    test('translates to valid Kiln IR with the structure KFP describes', () => {
      const spec = translateKfpPipeline(yamlOf(name), { source: `${name}.yaml` });
      expect(validateSpec(JSON.parse(JSON.stringify(spec)))).toMatchObject({ ok: true });
      expect(spec.pipeline.name).toBe(want.pipeline);
      expect(paramsText(spec)).toEqual(want.params);
      expect(spec.settings).toEqual(want.settings ?? {});
      const root = normalize(want.root);
      expect(project(dagShape(spec.root), root)).toEqual(root);
      const outputs = Object.fromEntries(Object.entries(spec.outputs).map(([k, b]) => [k, bindingText(b)]));
      expect(outputs).toEqual(want.outputs ?? {});
      for (const [key, shape] of Object.entries(want.components ?? {})) {
        const component = spec.components[key];
        expect(component).toBeDefined();
        if (!component) continue;
        const expected = shape.dag ? { ...shape, dag: normalize(shape.dag) } : shape;
        const actual = pick(componentShape(component), expected);
        if (actual.dag && expected.dag) actual.dag = project(actual.dag, expected.dag);
        expect(actual).toEqual(expected);
      }
      if (want.componentCount !== undefined) expect(Object.keys(spec.components)).toHaveLength(want.componentCount);
    });
  }

  if (e.run) {
    const want = e.run;
    const executors: Executor[] = want.executors ?? ['local'];
    test.each(executors)(
      'runs on the %s executor with the outcome KFP describes',
      async (executor) => {
        const doc = await runs.get(runKey(name, executor));
        if (!doc || !runner) throw new Error(`${name} was not started on ${executor}`);
        const outcome = await outcomeOf(doc, want, runner.store);
        // The run's error shows in the diff only when the state is not the expected one.
        const error = doc.state === want.state ? undefined : await failureReport(doc, runner.store);
        expect({ ...outcome, error }).toEqual({
          state: want.state,
          tasks: want.tasks,
          outputs: want.outputs ?? {},
          artifacts: want.artifacts ?? {},
          logs: want.logs ?? {},
          error: undefined,
        });
      },
      900_000,
    );
  }

  if (e.refused) {
    const want = e.refused;
    test('is refused, naming the YAML path and the KFP feature', () => {
      expect(refusalsOf(yamlOf(name)).sort(byPath)).toEqual([...want].sort(byPath));
    });
  }

  if (e.component) {
    const want = e.component;
    test('translates to the Kiln component KFP describes', () => {
      const { component } = translateKfpComponent(yamlOf(name));
      expect(component.name).toBe(want.name);
      const io = (specs: typeof component.inputs) =>
        Object.fromEntries(
          Object.entries(specs).map(([k, s]) => [
            k,
            s.kind === 'param' ? s.type : `${s.type} artifact${s.list ? 's' : ''}`,
          ]),
        );
      expect(io(component.inputs)).toEqual(want.inputs);
      expect(io(component.outputs)).toEqual(want.outputs);
      expect(pick(componentShape(component), want.shape)).toEqual(want.shape);
    });
  }
});

/** The README table's row of a pipeline: feature, imported, ran, matched, why not. */
function tableRow(e: Expectation): string[] {
  const imported = e.refused ? `refused: ${[...new Set(e.refused.map((r) => r.feature))].join('; ')}` : 'yes';
  const ran = e.run ? (e.run.executors ?? ['local']).join(', ') : 'no';
  const whyNot = e.refused ? 'Kiln has no equivalent (see "Refused")' : (e.notRun ?? '');
  return [e.feature, imported, ran, e.run ? 'yes' : '', whyNot];
}

test('every pipeline that imports is run, or says why not', () => {
  for (const name of pipelineNames) {
    const e = expectations[name] as Expectation;
    if (!e.refused) expect([name, e.run !== undefined || e.notRun !== undefined]).toEqual([name, true]);
  }
});

test('the README table lists every pipeline: feature, whether it imports, where it ran, whether it matched, why not', () => {
  const readme = readFileSync(join(__dirname, 'README.md'), 'utf8');
  const rows = new Map<string, string[]>();
  for (const line of readme.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const name = /^`([a-z0-9_]+)`$/.exec(cells[1] ?? '')?.[1];
    if (name) rows.set(name, cells.slice(2, -1));
  }
  for (const name of pipelineNames) {
    expect([name, ...(rows.get(name) ?? [])]).toEqual([name, ...tableRow(expectations[name] as Expectation)]);
  }
  expect([...rows.keys()].sort()).toEqual(pipelineNames);
});

/** Only the fields the expectation states; argv elements written "…text" match any element containing text. */
function pick(actual: ComponentShape, want: ComponentShape): Partial<ComponentShape> {
  const out: Partial<ComponentShape> = {};
  for (const key of Object.keys(want) as (keyof ComponentShape)[]) Object.assign(out, { [key]: actual[key] });
  if (out.argv && want.argv) {
    out.argv = out.argv.map((arg, i) => {
      const expected = want.argv?.[i];
      return expected?.startsWith('…') && arg.includes(expected.slice(1)) ? expected : arg;
    });
  }
  return out;
}
