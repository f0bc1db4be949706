/**
 * A compact, hand-writable picture of a pipeline's structure, and the extractor
 * that reads the same picture out of Kiln's IR. The conformance test compares the
 * two: `expected/<name>.ts` is written by hand from KFP's compiled structure, the
 * other side comes from `compile()`.
 *
 * A DAG is `{ <task id>: node }`. Nodes:
 * - task:        `{ task: '<component>', after?, in?, settings?, sub? }`
 * - condition:   `{ branches: [{ when?: '<expr>', dag }], after? }`  (if / elif / else)
 * - loop:        `{ loop: '<items>', parallelism?, body, after? }`
 * - exitHandler: `{ exitHandler: { body, exit }, after? }`
 * `after` = the node's sibling dependencies (data edges and `.after()`, as KFP's
 * `dependentTasks`); `in` = every input binding as a short string; `sub` = the DAG of
 * a sub-pipeline component (with `subOutputs`). Any node may carry `kfp: '<KFP id>'`,
 * a note for readers where KFP's id differs (KFP numbers all groups with one counter);
 * it is ignored by the comparison.
 *
 * Bindings as strings:
 *   `"text"` / `3` (JSON)   a constant          `$name`                  a parameter
 *   `task.output`           an upstream output  `item(loop).a.b`         the loop item (or a field)
 *   `collected(loop/task.output)`              fan-in of one body task's output
 *   `oneOf(cond: t1.out | t2.out)`             whichever branch ran     `finalStatus`
 * Conditions: `left == right` (`!=`, `<`, `<=`, `>`, `>=`, `in`), `(a && b)`, `(a || b)`, `!(a)`.
 */
import type { Arg, Binding, Dag, Expr, JsonValue, Node, Operand, PipelineSpec, TaskSettings } from '@kiln/ir';

export type ShapeDag = Record<string, ShapeNode>;

interface Common {
  after?: string[];
  /** KFP's id for this node when it differs (documentation only; not compared). */
  kfp?: string;
}
export interface TaskShape extends Common {
  task: string;
  in?: Record<string, string>;
  settings?: TaskSettings;
  /** A sub-pipeline component: its DAG. */
  sub?: ShapeDag;
  subOutputs?: Record<string, string>;
}
export interface ConditionShape extends Common {
  branches: { when?: string; dag: ShapeDag }[];
}
export interface LoopShape extends Common {
  loop: string;
  parallelism?: number;
  body: ShapeDag;
}
export interface ExitShape extends Common {
  exitHandler: { body: ShapeDag; exit: ShapeDag };
}
export type ShapeNode = TaskShape | ConditionShape | LoopShape | ExitShape;

/** What happens when the pipeline runs (for the engine's conformance runs). */
export interface RuntimeExpectation {
  /** Run parameters; defaults apply to the rest. */
  params?: Record<string, JsonValue>;
  state: 'SUCCEEDED' | 'FAILED';
  /**
   * Per task id: its state, or for tasks in loops the number of iterations in each state
   * (tasks in sub-pipelines: `<sub-pipeline task id>/<inner task id>`).
   */
  tasks: Record<string, 'succeeded' | 'skipped' | 'failed' | { succeeded?: number; skipped?: number; failed?: number }>;
  /** Output values: `task.output` (collected lists in item order) or `pipeline.<output>`. */
  outputs?: Record<string, JsonValue>;
  /** The exit task(s) see this final status of the group they guard. */
  exitSees?: { task: string; state: 'SUCCEEDED' | 'FAILED'; failedTasks?: string[] }[];
  /** Output lines that must appear in a task's log. */
  logs?: Record<string, string[]>;
  note?: string;
}

export interface Expected {
  /** The KFP test pipeline this port mirrors (file name without .py). */
  kfp: string;
  pipeline: string;
  params: string[];
  root: ShapeDag;
  outputs?: Record<string, string>;
  /** Placeholder kinds that must appear in a component's command + args. */
  placeholders?: Record<string, string[]>;
  /** How many components the IR holds (Kiln dedupes identical ones). */
  components?: number;
  /** Importer components: URI binding as a string, type, reimport, metadata. */
  importers?: Record<
    string,
    { uri: string; artifactType: string; reimport: boolean; metadata?: Record<string, JsonValue> }
  >;
  runtime?: RuntimeExpectation;
}

/** Placeholder kinds used by a component's command and args (sorted, unique). */
export function placeholderKinds(spec: PipelineSpec, component: string): string[] {
  const impl = spec.components[component]?.implementation;
  if (impl?.type !== 'container') return [];
  const kinds = new Set<string>();
  const visit = (a: Arg): void => {
    if (typeof a === 'string') return;
    kinds.add(a.kind);
    if (a.kind === 'concat') a.items.forEach(visit);
    if (a.kind === 'ifPresent') [...a.then, ...(a.else ?? [])].forEach(visit);
  };
  [...impl.command, ...(impl.args ?? [])].forEach(visit);
  return [...kinds].sort();
}

/** Importer components of a compiled pipeline, in the `importers` form of {@link Expected}. */
export function importerShapes(spec: PipelineSpec): NonNullable<Expected['importers']> {
  const out: NonNullable<Expected['importers']> = {};
  for (const [id, c] of Object.entries(spec.components)) {
    const impl = c.implementation;
    if (impl.type !== 'importer') continue;
    out[id] = {
      uri: bindingText(impl.uri),
      artifactType: impl.artifactType,
      reimport: impl.reimport,
      ...(impl.metadata ? { metadata: impl.metadata } : {}),
    };
  }
  return out;
}

const OPS: Record<string, string> = { eq: '==', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=', in: 'in' };

export function bindingText(b: Binding | Operand): string {
  switch (b.kind) {
    case 'constant':
      return JSON.stringify(b.value);
    case 'param':
      return `$${b.name}`;
    case 'output':
      return `${b.task}.${b.output}`;
    case 'loopItem':
      return `item(${b.loop})${(b.path ?? []).map((p) => `.${p}`).join('')}`;
    case 'collected':
      return `collected(${b.loop}/${b.task}.${b.output})`;
    case 'oneOf':
      return `oneOf(${b.condition}: ${b.sources.map((s) => `${s.task}.${s.output}`).join(' | ')})`;
    case 'finalStatus':
      return 'finalStatus';
  }
}

export function exprText(e: Expr): string {
  if ('left' in e) return `${bindingText(e.left)} ${OPS[e.op]} ${bindingText(e.right)}`;
  if ('args' in e) return `(${e.args.map(exprText).join(e.op === 'and' ? ' && ' : ' || ')})`;
  return `!(${exprText(e.arg)})`;
}

function withAfter<T extends object>(node: T, dependsOn: string[]): T & { after?: string[] } {
  return dependsOn.length > 0 ? { ...node, after: [...dependsOn].sort() } : node;
}

function nodeShape(spec: PipelineSpec, node: Node): ShapeNode {
  switch (node.type) {
    case 'task': {
      const shape: TaskShape = { task: node.component };
      const inputs = Object.entries(node.inputs);
      if (inputs.length > 0)
        shape.in = Object.fromEntries(inputs.sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, bindingText(v)]));
      if (Object.keys(node.settings).length > 0) shape.settings = node.settings;
      const impl = spec.components[node.component]?.implementation;
      if (impl?.type === 'dag') {
        shape.sub = dagShape(spec, impl.dag);
        if (Object.keys(impl.outputs).length > 0)
          shape.subOutputs = Object.fromEntries(Object.entries(impl.outputs).map(([k, v]) => [k, bindingText(v)]));
      }
      return withAfter(shape, node.dependsOn);
    }
    case 'condition':
      return withAfter(
        {
          branches: node.branches.map((b) =>
            b.when === undefined
              ? { dag: dagShape(spec, b.dag) }
              : { when: exprText(b.when), dag: dagShape(spec, b.dag) },
          ),
        },
        node.dependsOn,
      );
    case 'loop':
      return withAfter(
        {
          loop: bindingText(node.items),
          ...(node.parallelism === undefined ? {} : { parallelism: node.parallelism }),
          body: dagShape(spec, node.body),
        },
        node.dependsOn,
      );
    case 'exitHandler':
      return withAfter(
        { exitHandler: { body: dagShape(spec, node.body), exit: dagShape(spec, node.exit) } },
        node.dependsOn,
      );
  }
}

export function dagShape(spec: PipelineSpec, dag: Dag): ShapeDag {
  return Object.fromEntries(
    Object.keys(dag.tasks)
      .sort()
      .map((id) => [id, nodeShape(spec, dag.tasks[id] as Node)]),
  );
}

/** The structure of a compiled pipeline, in the same form as `expected/<name>.ts`. */
export function extractShape(spec: PipelineSpec): Omit<Expected, 'kfp' | 'runtime'> {
  const out: Omit<Expected, 'kfp' | 'runtime'> = {
    pipeline: spec.pipeline.name,
    params: Object.keys(spec.params).sort(),
    root: dagShape(spec, spec.root),
  };
  if (Object.keys(spec.outputs).length > 0)
    out.outputs = Object.fromEntries(Object.entries(spec.outputs).map(([k, v]) => [k, bindingText(v)]));
  return out;
}

/**
 * `actual` cut down to what `expected` states: a task's `in`, `settings` and `sub` are compared
 * only where the expected node gives them (the tree, groups, ids, `after`, conditions and loop
 * items always are).
 */
export function project(actual: ShapeDag, expected: ShapeDag): ShapeDag {
  const out: ShapeDag = {};
  for (const [id, a] of Object.entries(actual)) {
    const e = expected[id];
    out[id] = e === undefined ? a : projectNode(a, e);
  }
  return out;
}

function projectNode(a: ShapeNode, e: ShapeNode): ShapeNode {
  if ('task' in a && 'task' in e) {
    const r: TaskShape = { ...a };
    if (e.in === undefined) delete r.in;
    if (e.settings === undefined) delete r.settings;
    if (e.sub === undefined) delete r.sub;
    else if (r.sub) r.sub = project(r.sub, e.sub);
    if (e.subOutputs === undefined) delete r.subOutputs;
    return r;
  }
  if ('branches' in a && 'branches' in e)
    return { ...a, branches: a.branches.map((b, i) => ({ ...b, dag: project(b.dag, e.branches[i]?.dag ?? {}) })) };
  if ('body' in a && 'body' in e) return { ...a, body: project(a.body, e.body) };
  if ('exitHandler' in a && 'exitHandler' in e) {
    return {
      ...a,
      exitHandler: {
        body: project(a.exitHandler.body, e.exitHandler.body),
        exit: project(a.exitHandler.exit, e.exitHandler.exit),
      },
    };
  }
  return a;
}

/** Drops documentation-only fields (`kfp`) and sorts `after`, for comparison. */
export function normalize(dag: ShapeDag): ShapeDag {
  const node = (n: ShapeNode): ShapeNode => {
    const { kfp: _kfp, ...rest } = n;
    const r = rest as ShapeNode;
    if (r.after) r.after = [...r.after].sort();
    if ('task' in r && r.sub) return { ...r, sub: normalize(r.sub) };
    if ('branches' in r) return { ...r, branches: r.branches.map((b) => ({ ...b, dag: normalize(b.dag) })) };
    if ('body' in r) return { ...r, body: normalize(r.body) };
    if ('exitHandler' in r)
      return { ...r, exitHandler: { body: normalize(r.exitHandler.body), exit: normalize(r.exitHandler.exit) } };
    return r;
  };
  return Object.fromEntries(
    Object.keys(dag)
      .sort()
      .map((k) => [k, node(dag[k] as ShapeNode)]),
  );
}

/** Every task and group id in a shape, sub-pipelines as `<task>/<inner id>`. */
export function shapeIds(dag: ShapeDag, prefix = ''): string[] {
  return Object.entries(dag).flatMap(([id, n]) => {
    const here = `${prefix}${id}`;
    const inner =
      'sub' in n && n.sub
        ? shapeIds(n.sub, `${here}/`)
        : 'branches' in n
          ? n.branches.flatMap((b) => shapeIds(b.dag, prefix))
          : 'body' in n
            ? shapeIds(n.body, prefix)
            : 'exitHandler' in n
              ? [...shapeIds(n.exitHandler.body, prefix), ...shapeIds(n.exitHandler.exit, prefix)]
              : [];
    return [here, ...inner];
  });
}
