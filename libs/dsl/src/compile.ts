/**
 * The compiler: turns a pipeline's recorded graph into the IR. Deterministic:
 * ids come from the source (component names, deduplicated in creation order),
 * components are deduplicated by content, `dependsOn` lists are sorted, and
 * `canonicalize` orders keys, so the same source gives byte-identical JSON.
 */
import {
  type Binding,
  canonicalJson,
  canonicalize,
  type Component as IrComponent,
  type Dag,
  type Expr,
  schemaVersionFor,
  type Node,
  type Operand,
  type ParamSpec,
  type PipelineSpec,
  toYaml,
  validateSpec,
} from '@kiln/ir';
import type { ComponentImpl, PipelineBody } from './component-impl';
import { CompileError, DslError } from './errors';
import type { CondExpr, NodeRec, Scope, Source } from './graph';
import { type AnyPipeline, isPipeline, pipelineBody } from './pipeline';
import { IMPL } from './component-impl';

interface State {
  readonly components: Record<string, IrComponent>;
  readonly byContent: Map<string, string>;
  readonly byImpl: Map<ComponentImpl, string>;
}

/**
 * Compiles a pipeline to IR and validates it; throws a {@link CompileError}
 * listing every problem the IR validator found.
 *
 * @example
 * ```ts
 * import { canonicalize } from '@kiln/ir';
 * const spec = compile(training);
 * writeFileSync('training.json', canonicalize(spec));
 * ```
 */
export function compile(pipeline: AnyPipeline): PipelineSpec {
  if (!isPipeline(pipeline))
    throw new DslError('compile(): expected a pipeline made with pipeline({ name, params }, (p) => { ... })');
  const body = pipelineBody(pipeline);
  const name = body.ctx.name;
  const artifactParams = Object.entries(pipeline[IMPL].inputs).filter(([, s]) => s.kind === 'artifact');
  if (artifactParams.length > 0) {
    throw new CompileError(
      name,
      artifactParams.map(([k]) => ({
        code: 'type-mismatch',
        path: `$.params.${k}`,
        message: `parameter '${k}' is an artifact: only sub-pipelines can take artifacts; a run's parameters are values (use importer() with a string parameter)`,
      })),
    );
  }
  const state: State = { components: {}, byContent: new Map(), byImpl: new Map() };
  const root = compileDag(state, body.ctx.root, dependencies(body));
  const spec: PipelineSpec = {
    schemaVersion: schemaVersionFor(state.components),
    pipeline: { name },
    params: pipeline[IMPL].inputs as Record<string, ParamSpec>,
    settings: body.settings,
    components: state.components,
    root,
    outputs: Object.fromEntries(Object.entries(body.outputs).map(([k, o]) => [k, binding(o.source)])),
  };
  if (body.description !== undefined) spec.pipeline.description = body.description;
  if (body.displayName !== undefined) spec.pipeline.displayName = body.displayName;
  const result = validateSpec(spec);
  if (!result.ok) throw CompileError.fromIr(name, result.errors);
  return result.spec;
}

/** `compile()` then canonical JSON text (what `kiln compile` writes). */
export function compileToJson(pipeline: AnyPipeline): string {
  return canonicalize(compile(pipeline));
}

/** `compile()` then YAML with the canonical key order. */
export function compileToYaml(pipeline: AnyPipeline): string {
  return toYaml(compile(pipeline));
}

// ---------------------------------------------------------------------------------------------

function registerComponent(state: State, impl: ComponentImpl): string {
  const known = state.byImpl.get(impl);
  if (known !== undefined) return known;
  let ir: IrComponent;
  if (impl.pipeline !== undefined) {
    ir = {
      name: impl.name,
      inputs: impl.inputs,
      outputs: impl.outputs,
      implementation: {
        type: 'dag',
        dag: compileDag(state, impl.pipeline.ctx.root, dependencies(impl.pipeline)),
        outputs: Object.fromEntries(Object.entries(impl.pipeline.outputs).map(([k, o]) => [k, binding(o.source)])),
      },
    };
    if (impl.pipeline.description !== undefined) ir.description = impl.pipeline.description;
  } else if (impl.ir !== undefined) {
    ir = impl.ir;
    if (impl.deps !== undefined && ir.implementation.type === 'dag') {
      const renames = registerLoadedDeps(state, impl.deps);
      ir = { ...ir, implementation: { ...ir.implementation, dag: renameComponents(ir.implementation.dag, renames) } };
    }
  } else {
    throw new DslError(`component '${impl.name}' has no implementation`);
  }
  const finalName = addComponent(state, ir);
  state.byImpl.set(impl, finalName);
  return finalName;
}

/** Adds a component by content; same content → same entry, same name but other content → `name-2`. */
function addComponent(state: State, ir: IrComponent): string {
  const key = canonicalJson(ir);
  const existing = state.byContent.get(key);
  if (existing !== undefined) return existing;
  let finalName = ir.name;
  for (let n = 2; state.components[finalName] !== undefined; n++) finalName = `${ir.name.slice(0, 60)}-${n}`;
  state.components[finalName] = finalName === ir.name ? ir : { ...ir, name: finalName };
  state.byContent.set(key, finalName);
  return finalName;
}

function registerLoadedDeps(state: State, deps: Record<string, IrComponent>): Map<string, string> {
  const renames = new Map<string, string>();
  const visiting = new Set<string>();
  const visit = (name: string): void => {
    if (renames.has(name) || visiting.has(name)) return;
    const comp = deps[name];
    if (comp === undefined) return;
    visiting.add(name);
    let ir = comp;
    if (comp.implementation.type === 'dag') {
      for (const c of componentRefs(comp.implementation.dag)) visit(c);
      ir = {
        ...comp,
        implementation: { ...comp.implementation, dag: renameComponents(comp.implementation.dag, renames) },
      };
    }
    renames.set(name, addComponent(state, ir));
  };
  for (const name of Object.keys(deps).sort()) visit(name);
  return renames;
}

function componentRefs(dag: Dag): string[] {
  const out: string[] = [];
  for (const node of Object.values(dag.tasks)) {
    if (node.type === 'task') out.push(node.component);
    else if (node.type === 'condition') node.branches.forEach((b) => out.push(...componentRefs(b.dag)));
    else if (node.type === 'loop') out.push(...componentRefs(node.body));
    else out.push(...componentRefs(node.body), ...componentRefs(node.exit));
  }
  return out;
}

function renameComponents(dag: Dag, renames: Map<string, string>): Dag {
  const tasks: Record<string, Node> = {};
  for (const [id, node] of Object.entries(dag.tasks)) {
    if (node.type === 'task') tasks[id] = { ...node, component: renames.get(node.component) ?? node.component };
    else if (node.type === 'condition')
      tasks[id] = { ...node, branches: node.branches.map((b) => ({ ...b, dag: renameComponents(b.dag, renames) })) };
    else if (node.type === 'loop') tasks[id] = { ...node, body: renameComponents(node.body, renames) };
    else
      tasks[id] = { ...node, body: renameComponents(node.body, renames), exit: renameComponents(node.exit, renames) };
  }
  return { tasks };
}

// ---------------------------------------------------------------------------------------------

function compileDag(state: State, scope: Scope, deps: Map<NodeRec, Set<NodeRec>>): Dag {
  const tasks: Record<string, Node> = {};
  for (const node of scope.nodes) {
    const dependsOn = [...(deps.get(node) ?? [])].map((n) => n.id).sort();
    switch (node.type) {
      case 'task':
        tasks[node.id] = {
          type: 'task',
          component: registerComponent(state, node.component),
          inputs: Object.fromEntries(Object.entries(node.inputs).map(([k, s]) => [k, binding(s)])),
          dependsOn,
          settings: node.settings,
        };
        break;
      case 'condition':
        tasks[node.id] = {
          type: 'condition',
          dependsOn,
          branches: node.branches.map((b) =>
            b.when === undefined
              ? { dag: compileDag(state, b.scope, deps) }
              : { when: expr(b.when), dag: compileDag(state, b.scope, deps) },
          ),
        };
        break;
      case 'loop': {
        const loop: Node = {
          type: 'loop',
          dependsOn,
          items: binding(node.items),
          body: compileDag(state, node.body, deps),
        };
        if (node.parallelism !== undefined) loop.parallelism = node.parallelism;
        tasks[node.id] = loop;
        break;
      }
      case 'exitHandler':
        tasks[node.id] = {
          type: 'exitHandler',
          dependsOn,
          body: compileDag(state, node.body, deps),
          exit: compileDag(state, node.exit, deps),
        };
        break;
    }
  }
  return { tasks };
}

function binding(source: Source): Binding {
  switch (source.kind) {
    case 'constant':
      return { kind: 'constant', value: source.value };
    case 'param':
      return { kind: 'param', name: source.name };
    case 'output':
      return { kind: 'output', task: source.task.id, output: source.output };
    case 'loopItem':
      return source.path.length === 0
        ? { kind: 'loopItem', loop: source.loop.id }
        : { kind: 'loopItem', loop: source.loop.id, path: [...source.path] };
    case 'collected':
      return { kind: 'collected', loop: source.loop.id, task: source.task.id, output: source.output };
    case 'oneOf':
      return {
        kind: 'oneOf',
        condition: source.condition.id,
        sources: source.sources.map((s) => ({ kind: 'output' as const, task: s.task.id, output: s.output })),
      };
    case 'finalStatus':
      return { kind: 'finalStatus' };
  }
}

function expr(e: CondExpr): Expr {
  if ('left' in e) return { op: e.op, left: binding(e.left) as Operand, right: binding(e.right) as Operand };
  if ('args' in e) return { op: e.op, args: e.args.map(expr) };
  return { op: 'not', arg: expr(e.arg) };
}

// ---------------------------------------------------------------------------------------------
// Dependencies: data and `.after()` edges, lifted to the siblings in the lowest common DAG.

function producers(source: Source): NodeRec[] {
  switch (source.kind) {
    case 'output':
      return [source.task];
    case 'collected':
      return [source.loop];
    case 'oneOf':
      return [source.condition];
    default:
      return [];
  }
}

function exprSources(e: CondExpr): Source[] {
  if ('left' in e) return [e.left, e.right];
  if ('args' in e) return e.args.flatMap(exprSources);
  return exprSources(e.arg);
}

/** [node, scope it sits in] from `node` up to the pipeline scope. */
function ancestry(node: NodeRec): [NodeRec, Scope][] {
  const out: [NodeRec, Scope][] = [];
  let current: NodeRec | undefined = node;
  while (current !== undefined) {
    out.push([current, current.scope]);
    current = current.scope.owner;
  }
  return out;
}

function dependencies(body: PipelineBody): Map<NodeRec, Set<NodeRec>> {
  const deps = new Map<NodeRec, Set<NodeRec>>();
  const add = (consumer: NodeRec, producer: NodeRec): void => {
    const c = ancestry(consumer);
    const p = ancestry(producer);
    for (const [cNode, cScope] of c) {
      const match = p.find(([, pScope]) => pScope === cScope);
      if (match === undefined) continue;
      const pNode = match[0];
      if (pNode !== cNode) {
        let set = deps.get(cNode);
        if (set === undefined) deps.set(cNode, (set = new Set()));
        set.add(pNode);
      }
      return;
    }
  };
  const visit = (scope: Scope): void => {
    for (const node of scope.nodes) {
      const sources: Source[] = [];
      if (node.type === 'task') sources.push(...Object.values(node.inputs));
      if (node.type === 'condition') node.branches.forEach((b) => b.when && sources.push(...exprSources(b.when)));
      if (node.type === 'loop') sources.push(node.items);
      for (const s of sources) for (const p of producers(s)) add(node, p);
      for (const a of node.after) add(node, a);
      if (node.type === 'condition') node.branches.forEach((b) => visit(b.scope));
      if (node.type === 'loop') visit(node.body);
      if (node.type === 'exitHandler') {
        visit(node.body);
        visit(node.exit);
      }
    }
  };
  visit(body.ctx.root);
  return deps;
}
