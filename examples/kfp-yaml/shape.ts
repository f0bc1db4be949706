/**
 * A compact picture of a translated pipeline that a person can write by hand,
 * and the code that reads the same picture out of Kiln IR. The expectation files
 * state the picture; the test compares.
 *
 * A DAG is `{ <task id>: node }`. Nodes:
 * - task:         `{ task: '<component>', in?, after?, settings? }`
 * - condition:    `{ if: [{ when?: '<expr>', then: dag }], after? }`  (if / elif / else: one branch each)
 * - loop:         `{ loop: '<items>', parallelism?, body: dag, after? }`
 * - exit handler: `{ exitHandler: dag, exit: dag, after? }`
 * `after` lists the node's sibling dependencies (KFP's `dependentTasks`). `in` and
 * `settings`, when given, must match exactly; when left out they are not compared.
 *
 * Bindings as strings: a constant as JSON (`"text"`, `3`, `[1,2]`), `$param`,
 * `task.output`, `item(loop)` / `item(loop).field`, `collected(loop/task.output)`,
 * `oneOf(condition: a.out | b.out)`, `finalStatus`.
 * Conditions: `left == right` (also `!=`, `<`, `<=`, `>`, `>=`, `in`), `(a && b)`, `(a || b)`, `!(a)`.
 */
import type { Arg, Binding, Component, Dag, Expr, KfpIoType, Node, PipelineSpec, TaskSettings } from '@kiln/ir';

export type ShapeDag = Record<string, ShapeNode>;

interface Common {
  after?: string[];
}
export interface TaskShape extends Common {
  task: string;
  in?: Record<string, string>;
  settings?: TaskSettings;
}
export interface ConditionShape extends Common {
  if: { when?: string; then: ShapeDag }[];
}
export interface LoopShape extends Common {
  loop: string;
  parallelism?: number;
  body: ShapeDag;
}
export interface ExitShape extends Common {
  exitHandler: ShapeDag;
  exit: ShapeDag;
}
export type ShapeNode = TaskShape | ConditionShape | LoopShape | ExitShape;

/** A component, compactly: its implementation type and (optionally) its command line and KFP protocol. */
export interface ComponentShape {
  type: Component['implementation']['type'];
  /**
   * Containers: command then args, each element as a string (placeholders in braces, see
   * {@link argText}); an expected element starting with "…" only has to contain the rest.
   */
  argv?: string[];
  /** Containers speaking KFP's executor protocol: the `pip install` packages of the bootstrap. */
  kfpPackages?: string[];
  /** Whether that bootstrap installs into a fresh virtualenv (`use_venv=True`). */
  kfpVenv?: boolean;
  /** Their KFP types: `NUMBER_INTEGER`, `system.Dataset@0.0.1`, `system.Dataset@0.0.1[]` for a list. */
  kfpTypes?: { inputs: Record<string, string>; outputs: Record<string, string> };
  /** Importers: `uri → type` plus metadata and reimport. */
  importer?: { uri: string; type: string; metadata?: Record<string, unknown>; reimport: boolean };
  /** Sub-pipelines: their DAG and outputs. */
  dag?: ShapeDag;
  outputs?: Record<string, string>;
}

export function bindingText(b: Binding): string {
  switch (b.kind) {
    case 'constant':
      return JSON.stringify(b.value);
    case 'param':
      return `$${b.name}`;
    case 'output':
      return `${b.task}.${b.output}`;
    case 'loopItem':
      return `item(${b.loop})${(b.path ?? []).map((k) => `.${k}`).join('')}`;
    case 'collected':
      return `collected(${b.loop}/${b.task}.${b.output})`;
    case 'oneOf':
      return `oneOf(${b.condition}: ${b.sources.map(bindingText).join(' | ')})`;
    case 'finalStatus':
      return 'finalStatus';
  }
}

const OPS: Record<string, string> = { eq: '==', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=', in: 'in' };

export function exprText(e: Expr): string {
  if ('args' in e) return `(${e.args.map(exprText).join(e.op === 'and' ? ' && ' : ' || ')})`;
  if ('arg' in e) return `!(${exprText(e.arg)})`;
  return `${bindingText(e.left)} ${OPS[e.op]} ${bindingText(e.right)}`;
}

/** `{inputValue:x}`, `{outputPath:y}`, `{executorInput}`, `{concat:a,{inputValue:x}}`, `{ifPresent:x?a,b:c}`. */
export function argText(a: Arg): string {
  if (typeof a === 'string') return a;
  switch (a.kind) {
    case 'concat':
      return `{concat:${a.items.map(argText).join(',')}}`;
    case 'ifPresent':
      return `{ifPresent:${a.input}?${a.then.map(argText).join(',')}:${(a.else ?? []).map(argText).join(',')}}`;
    default:
      return 'input' in a ? `{${a.kind}:${a.input}}` : 'output' in a ? `{${a.kind}:${a.output}}` : `{${a.kind}}`;
  }
}

function nodeShape(node: Node): ShapeNode {
  const after = node.dependsOn.length > 0 ? { after: [...node.dependsOn].sort() } : {};
  switch (node.type) {
    case 'task': {
      const inputs = Object.fromEntries(Object.entries(node.inputs).map(([k, b]) => [k, bindingText(b)]));
      return { task: node.component, in: inputs, settings: node.settings, ...after };
    }
    case 'condition':
      return {
        if: node.branches.map((b) => ({ ...(b.when && { when: exprText(b.when) }), then: dagShape(b.dag) })),
        ...after,
      };
    case 'loop':
      return {
        loop: bindingText(node.items),
        ...(node.parallelism !== undefined && { parallelism: node.parallelism }),
        body: dagShape(node.body),
        ...after,
      };
    case 'exitHandler':
      return { exitHandler: dagShape(node.body), exit: dagShape(node.exit), ...after };
  }
}

export function dagShape(dag: Dag): ShapeDag {
  return Object.fromEntries(Object.entries(dag.tasks).map(([id, node]) => [id, nodeShape(node)]));
}

export function componentShape(c: Component): ComponentShape {
  const impl = c.implementation;
  switch (impl.type) {
    case 'container': {
      const shape: ComponentShape = { type: 'container', argv: [...impl.command, ...(impl.args ?? [])].map(argText) };
      if (impl.kfp) {
        shape.kfpPackages = (impl.kfp.pythonBootstrap?.pipInstalls ?? []).flatMap((args) =>
          args.filter((a) => !a.startsWith('-') && !a.startsWith('http')),
        );
        const text = (types: Record<string, KfpIoType>) =>
          Object.fromEntries(
            Object.entries(types).map(([k, t]) => [
              k,
              'parameterType' in t
                ? t.parameterType
                : `${t.schemaTitle}@${t.schemaVersion}${t.isArtifactList ? '[]' : ''}`,
            ]),
          );
        shape.kfpTypes = { inputs: text(impl.kfp.inputs), outputs: text(impl.kfp.outputs) };
        if (impl.kfp.pythonBootstrap) shape.kfpVenv = impl.kfp.pythonBootstrap.venv;
      }
      return shape;
    }
    case 'importer':
      return {
        type: 'importer',
        importer: {
          uri: bindingText(impl.uri),
          type: impl.artifactType,
          ...(impl.metadata && { metadata: impl.metadata }),
          reimport: impl.reimport,
        },
      };
    case 'dag':
      return {
        type: 'dag',
        dag: dagShape(impl.dag),
        outputs: Object.fromEntries(Object.entries(impl.outputs).map(([k, b]) => [k, bindingText(b)])),
      };
    default:
      return { type: impl.type };
  }
}

/**
 * The actual shape cut down to what the expected one states: `in` and
 * `settings` only where the expectation gives them, so a file can be as
 * detailed as its feature needs.
 */
export function project(actual: ShapeDag, expected: ShapeDag): ShapeDag {
  const out: ShapeDag = {};
  for (const [id, node] of Object.entries(actual)) {
    const want = expected[id];
    out[id] = want === undefined ? node : projectNode(node, want);
  }
  return out;
}

function projectNode(node: ShapeNode, want: ShapeNode): ShapeNode {
  if ('task' in node && 'task' in want) {
    const { in: inputs, settings, ...rest } = node;
    return {
      ...rest,
      ...(want.in !== undefined && { in: inputs ?? {} }),
      ...(want.settings !== undefined && { settings: settings ?? {} }),
    };
  }
  if ('if' in node && 'if' in want) {
    return { ...node, if: node.if.map((b, i) => ({ ...b, then: project(b.then, want.if[i]?.then ?? {}) })) };
  }
  if ('loop' in node && 'loop' in want) return { ...node, body: project(node.body, want.body) };
  if ('exitHandler' in node && 'exitHandler' in want) {
    return { ...node, exitHandler: project(node.exitHandler, want.exitHandler), exit: project(node.exit, want.exit) };
  }
  return node;
}

/** The pipeline's parameters as `name: type` (`type = default` when there is one). */
export function paramsText(spec: PipelineSpec): Record<string, string> {
  return Object.fromEntries(
    Object.entries(spec.params).map(([name, p]) => [
      name,
      p.default === undefined ? p.type : `${p.type} = ${JSON.stringify(p.default)}`,
    ]),
  );
}
