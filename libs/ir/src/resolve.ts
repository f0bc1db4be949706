/**
 * Resolving bindings: what a binding refers to, whether that is in scope, and
 * the type of the value it delivers. The validator reports through `report`;
 * the engine calls {@link bindingType} and {@link siblingDependencies}.
 */
import type { IrErrorCode } from './errors';
import type { PathSegment } from './json-path';
import type { Binding, Dag, Expr, JsonValue, LoopNode, Operand, PipelineSpec } from './schema';
import { constantType, describeType, ioValueType, sameType, type ValueType } from './value-types';
import {
  componentOf,
  ownValue,
  rootScope,
  visibleDepth,
  walkDag,
  type DagScope,
  type NodeVisit,
  type ScopeFrame,
} from './walk';

/** Where a binding is used: its scope, the groups around it, and the node it belongs to. */
export interface BindingSite {
  readonly scope: DagScope;
  /** Groups enclosing the consumer. For a loop's `items` or a condition's `when`: the group's own enclosing groups. */
  readonly frames: readonly ScopeFrame[];
  /** The task, loop or condition the binding belongs to; absent for pipeline / sub-pipeline outputs. */
  readonly nodeId?: string;
}

/** Sibling dependencies per DAG: node id → ids of siblings it waits for. */
export type DependencyMap = Map<Dag, Map<string, Set<string>>>;

export type Report = (code: IrErrorCode, path: readonly PathSegment[], message: string) => void;

const ignore: Report = () => undefined;

export interface ResolveContext {
  readonly spec: PipelineSpec;
  readonly report: Report;
  /** When present, data dependencies are recorded here (lifted to the sibling level). */
  readonly deps?: DependencyMap;
}

export function addDependency(deps: DependencyMap, dag: Dag, from: string, to: string): void {
  let byNode = deps.get(dag);
  if (!byNode) deps.set(dag, (byNode = new Map()));
  let set = byNode.get(from);
  if (!set) byNode.set(from, (set = new Set()));
  set.add(to);
}

/** Records "the consumer waits for `target`", where `target` lives in the DAG at `depth`. */
function recordDependency(ctx: ResolveContext, site: BindingSite, depth: number, target: string): void {
  if (!ctx.deps || site.nodeId === undefined) return;
  const dag = depth === 0 ? site.scope.dag : (site.frames[depth - 1] as ScopeFrame).dag;
  const from = depth === site.frames.length ? site.nodeId : (site.frames[depth] as ScopeFrame).id;
  addDependency(ctx.deps, dag, from, target);
}

function describeNode(visit: NodeVisit): string {
  return visit.node.type === 'task' ? `task "${visit.id}"` : `${visit.node.type} group "${visit.id}"`;
}

/** Why `visit` is not visible from `site`, with the binding that would reach it. */
function outOfScopeHint(visit: NodeVisit, site: BindingSite): string {
  const depth = visibleDepthOfPrefix(visit.scopes, site.frames);
  const barrier = visit.scopes[depth];
  if (!barrier) return '';
  if (barrier.node.type === 'loop')
    return `; it runs inside loop "${barrier.id}": use a "collected" binding to fan in its outputs`;
  if (barrier.node.type === 'condition')
    return `; it runs inside condition "${barrier.id}": use a "oneOf" binding across its branches`;
  return `; it runs inside the ${barrier.part.kind} of exit handler "${barrier.id}"`;
}

function visibleDepthOfPrefix(a: readonly ScopeFrame[], b: readonly ScopeFrame[]): number {
  let i = 0;
  while (i < a.length && i < b.length && visibleDepth(a.slice(0, i + 1), b) === i + 1) i++;
  return i;
}

/** Finds a node by id and checks it is visible from `site`; reports `dangling-reference` otherwise. */
function lookupVisible(
  ctx: ResolveContext,
  site: BindingSite,
  id: string,
  path: readonly PathSegment[],
): { visit: NodeVisit; depth: number } | undefined {
  const visit = site.scope.nodes.get(id);
  if (!visit) {
    ctx.report(
      'dangling-reference',
      path,
      `there is no task or group "${id}"${site.scope.component ? ` in sub-pipeline "${site.scope.component}"` : ''}`,
    );
    return undefined;
  }
  const depth = visibleDepth(visit.scopes, site.frames);
  if (depth < 0) {
    ctx.report('dangling-reference', path, `${describeNode(visit)} is not in scope here${outOfScopeHint(visit, site)}`);
    return undefined;
  }
  return { visit, depth };
}

function taskOutputType(
  ctx: ResolveContext,
  visit: NodeVisit,
  output: string,
  path: readonly PathSegment[],
): ValueType | undefined {
  if (visit.node.type !== 'task') {
    ctx.report('dangling-reference', path, `${describeNode(visit)} is a group, not a task: groups have no outputs`);
    return undefined;
  }
  const component = componentOf(ctx.spec, visit.node);
  if (!component) return undefined; // reported as unknown-component at the task
  const spec = ownValue(component.outputs, output);
  if (!spec) {
    const names = Object.keys(component.outputs);
    ctx.report(
      'unknown-output',
      path,
      `task "${visit.id}" (component "${visit.node.component}") has no output "${output}"; ${names.length ? `its outputs are: ${names.join(', ')}` : 'it has no outputs'}`,
    );
    return undefined;
  }
  return ioValueType(spec);
}

function asList(type: ValueType): ValueType {
  return type.kind === 'param' ? { kind: 'param', type: 'list' } : { kind: 'artifact', type: type.type, list: true };
}

/** The type of one item of a loop's `items`. */
function loopItemType(
  ctx: ResolveContext,
  site: BindingSite,
  loopFrameIndex: number,
  path: readonly string[] | undefined,
): ValueType {
  const frame = site.frames[loopFrameIndex] as ScopeFrame;
  const loop = frame.node as LoopNode;
  if (path && path.length > 0) return { kind: 'param', type: 'any' };
  if (loop.items.kind === 'constant' && Array.isArray(loop.items.value)) {
    const types = loop.items.value.map((v: JsonValue) => constantType(v));
    const first = types[0];
    if (first && types.every((t) => t.kind === 'param' && first.kind === 'param' && t.type === first.type))
      return first;
    return { kind: 'param', type: 'any' };
  }
  const itemsSite: BindingSite = { scope: site.scope, frames: site.frames.slice(0, loopFrameIndex), nodeId: frame.id };
  const items = resolveBinding({ spec: ctx.spec, report: ignore }, itemsSite, loop.items, []);
  if (items?.kind === 'artifact' && items.list) return { kind: 'artifact', type: items.type, list: false };
  if (items?.kind === 'param' && items.items)
    return { kind: 'param', type: items.items.type, ...(items.items.items && { items: items.items.items }) };
  return { kind: 'param', type: 'any' };
}

/**
 * Checks a binding's references and returns the type of the value it delivers,
 * or undefined when it cannot be resolved (after reporting why).
 */
export function resolveBinding(
  ctx: ResolveContext,
  site: BindingSite,
  binding: Binding | Operand,
  path: readonly PathSegment[],
): ValueType | undefined {
  switch (binding.kind) {
    case 'constant':
      return constantType(binding.value);
    case 'param': {
      const spec = ownValue(site.scope.params, binding.name);
      if (!spec) {
        const where = site.scope.component
          ? `sub-pipeline "${site.scope.component}" has no input`
          : 'the pipeline has no parameter';
        const names = Object.keys(site.scope.params);
        ctx.report(
          'unknown-param',
          [...path, 'name'],
          `${where} "${binding.name}"${names.length ? ` (known: ${names.join(', ')})` : ''}`,
        );
        return undefined;
      }
      return ioValueType(spec);
    }
    case 'output': {
      const found = lookupVisible(ctx, site, binding.task, [...path, 'task']);
      if (!found) return undefined;
      recordDependency(ctx, site, found.depth, binding.task);
      return taskOutputType(ctx, found.visit, binding.output, [...path, 'output']);
    }
    case 'loopItem': {
      const index = site.frames.findIndex((f) => f.id === binding.loop && f.node.type === 'loop');
      if (index < 0) {
        const exists = site.scope.nodes.get(binding.loop);
        const why = !exists
          ? `there is no loop "${binding.loop}"`
          : exists.node.type !== 'loop'
            ? `"${binding.loop}" is a ${exists.node.type}, not a loop`
            : `loop "${binding.loop}" does not enclose this binding`;
        ctx.report(
          'loop-item-outside-loop',
          [...path, 'loop'],
          `${why}: a loopItem binding must name an enclosing loop`,
        );
        return undefined;
      }
      return loopItemType(ctx, site, index, binding.path);
    }
    case 'collected':
      return resolveCollected(ctx, site, binding, path);
    case 'oneOf':
      return resolveOneOf(ctx, site, binding, path);
    case 'finalStatus':
      if (!site.frames.some((f) => f.part.kind === 'exit')) {
        ctx.report(
          'final-status-outside-exit',
          path,
          'finalStatus is only available to tasks in an exit handler\'s "exit" DAG',
        );
        return undefined;
      }
      return { kind: 'param', type: 'object' };
  }
}

function resolveCollected(
  ctx: ResolveContext,
  site: BindingSite,
  binding: Extract<Binding, { kind: 'collected' }>,
  path: readonly PathSegment[],
): ValueType | undefined {
  const loopVisit = site.scope.nodes.get(binding.loop);
  if (loopVisit && loopVisit.node.type !== 'loop') {
    ctx.report(
      'collected-outside',
      [...path, 'loop'],
      `${describeNode(loopVisit)} is not a loop: collected fans in the iterations of a loop`,
    );
    return undefined;
  }
  if (site.frames.some((f) => f.id === binding.loop)) {
    ctx.report(
      'collected-outside',
      [...path, 'loop'],
      `this binding is inside loop "${binding.loop}": collected is for consumers after the loop; inside it, bind the task output directly`,
    );
    return undefined;
  }
  const loop = lookupVisible(ctx, site, binding.loop, [...path, 'loop']);
  if (!loop) return undefined;
  const taskVisit = site.scope.nodes.get(binding.task);
  if (!taskVisit) {
    ctx.report('dangling-reference', [...path, 'task'], `there is no task "${binding.task}"`);
    return undefined;
  }
  const nesting = collectedNesting(taskVisit, loop.visit, binding.loop);
  if (typeof nesting === 'string') {
    ctx.report('collected-outside', [...path, 'task'], `${describeNode(taskVisit)} ${nesting}`);
    return undefined;
  }
  recordDependency(ctx, site, loop.depth, binding.loop);
  const type = taskOutputType(ctx, taskVisit, binding.output, [...path, 'output']);
  if (type?.kind === 'artifact' && nesting > 0) {
    ctx.report(
      'type-mismatch',
      [...path, 'task'],
      `${describeNode(taskVisit)} is ${nesting + 1} loops deep inside loop "${binding.loop}": collecting artifacts gives one flat list, so collect them one loop level at a time`,
    );
    return undefined;
  }
  return type && asList(type);
}

/**
 * How many loops the producer of a `collected` binding sits in below the
 * collected loop's body (0 = the body itself or a condition in it); or why it
 * cannot be collected. Condition branches are allowed on the way (iterations
 * where the producer was skipped are left out of the list); each nested loop
 * adds a level of list (a list per iteration of the loop above it).
 */
function collectedNesting(taskVisit: NodeVisit, loopVisit: NodeVisit, loopId: string): number | string {
  const base = loopVisit.scopes.length;
  const own = taskVisit.scopes[base];
  if (
    taskVisit.scopes.length <= base ||
    own?.id !== loopId ||
    visibleDepth(loopVisit.scopes, taskVisit.scopes) !== base
  ) {
    return `is not in the body of loop "${loopId}"`;
  }
  let nesting = 0;
  for (const frame of taskVisit.scopes.slice(base + 1)) {
    if (frame.node.type === 'loop') nesting++;
    else if (frame.node.type !== 'condition') {
      return `is inside exit handler "${frame.id}" within loop "${loopId}": only tasks in the loop body, its conditions and nested loops can be collected`;
    }
  }
  return nesting;
}

function resolveOneOf(
  ctx: ResolveContext,
  site: BindingSite,
  binding: Extract<Binding, { kind: 'oneOf' }>,
  path: readonly PathSegment[],
): ValueType | undefined {
  const condVisit = site.scope.nodes.get(binding.condition);
  if (condVisit && condVisit.node.type !== 'condition') {
    ctx.report(
      'oneof-not-exclusive',
      [...path, 'condition'],
      `${describeNode(condVisit)} is not a condition: oneOf picks among a condition's branches`,
    );
    return undefined;
  }
  if (site.frames.some((f) => f.id === binding.condition)) {
    ctx.report(
      'oneof-not-exclusive',
      [...path, 'condition'],
      `this binding is inside condition "${binding.condition}": oneOf is for consumers after it`,
    );
    return undefined;
  }
  const cond = lookupVisible(ctx, site, binding.condition, [...path, 'condition']);
  if (!cond || cond.visit.node.type !== 'condition') return undefined;
  const branchCount = cond.visit.node.branches.length;
  if (branchCount < 2) {
    ctx.report(
      'oneof-not-exclusive',
      [...path, 'condition'],
      `condition "${binding.condition}" has ${branchCount} branch: oneOf needs at least 2`,
    );
  }
  recordDependency(ctx, site, cond.depth, binding.condition);
  const condDepth = cond.visit.scopes.length;
  const usedBranches = new Map<number, string>();
  let result: ValueType | undefined;
  binding.sources.forEach((source, i) => {
    const at = [...path, 'sources', i];
    const visit = site.scope.nodes.get(source.task);
    if (!visit) {
      ctx.report('dangling-reference', [...at, 'task'], `there is no task "${source.task}"`);
      return;
    }
    const frame = visit.scopes[condDepth];
    if (visit.scopes.length !== condDepth + 1 || frame?.id !== binding.condition || frame.part.kind !== 'branch') {
      ctx.report(
        'oneof-not-exclusive',
        [...at, 'task'],
        `${describeNode(visit)} is not directly in a branch of condition "${binding.condition}"`,
      );
      return;
    }
    const previous = usedBranches.get(frame.part.index);
    if (previous !== undefined) {
      ctx.report(
        'oneof-not-exclusive',
        [...at, 'task'],
        `tasks "${previous}" and "${source.task}" are both in branch ${frame.part.index} of condition "${binding.condition}": both may run, so oneOf would be ambiguous`,
      );
      return;
    }
    usedBranches.set(frame.part.index, source.task);
    const type = taskOutputType(ctx, visit, source.output, [...at, 'output']);
    if (!type) return;
    if (!result) result = type;
    else if (!sameType(result, type)) {
      ctx.report(
        'type-mismatch',
        [...at, 'output'],
        `oneOf sources must have one type: expected ${describeType(result)}, got ${describeType(type)}`,
      );
    }
  });
  return result;
}

/**
 * The type of the value a binding delivers at `site`, or undefined if the
 * binding does not resolve (the validator says why). Defaults to the pipeline's
 * top DAG.
 */
export function bindingType(spec: PipelineSpec, binding: Binding, site?: Partial<BindingSite>): ValueType | undefined {
  const full: BindingSite = {
    scope: site?.scope ?? rootScope(spec),
    frames: site?.frames ?? [],
    ...(site?.nodeId !== undefined && { nodeId: site.nodeId }),
  };
  return resolveBinding({ spec, report: ignore }, full, binding, []);
}

/**
 * For every DAG of a scope: which siblings each node waits for, `dependsOn`
 * plus data dependencies (a binding deep inside a group makes the whole group
 * wait for the sibling that produces the value).
 */
export function siblingDependencies(spec: PipelineSpec, scope: DagScope = rootScope(spec)): DependencyMap {
  const deps: DependencyMap = new Map();
  const ctx: ResolveContext = { spec, report: ignore, deps };
  for (const visit of walkDag(scope.dag, scope.path)) {
    for (const dep of visit.node.dependsOn) {
      if (ownValue(visit.dag.tasks, dep)) addDependency(deps, visit.dag, visit.id, dep);
    }
    for (const { binding, site } of bindingsOf(scope, visit)) resolveBinding(ctx, site, binding, []);
  }
  return deps;
}

/** Every binding a node itself holds (task inputs, loop items, condition operands), with its site. */
export function* bindingsOf(
  scope: DagScope,
  visit: NodeVisit,
): Generator<{ binding: Binding | Operand; site: BindingSite; path: PathSegment[] }> {
  const site: BindingSite = { scope, frames: visit.scopes, nodeId: visit.id };
  const node = visit.node;
  if (node.type === 'task') {
    for (const [name, binding] of Object.entries(node.inputs))
      yield { binding, site, path: [...visit.path, 'inputs', name] };
  } else if (node.type === 'loop') {
    yield { binding: node.items, site, path: [...visit.path, 'items'] };
  } else if (node.type === 'condition') {
    for (const [index, branch] of node.branches.entries()) {
      if (branch.when) yield* operandsOf(branch.when, site, [...visit.path, 'branches', index, 'when']);
    }
  }
}

function* operandsOf(
  expr: Expr,
  site: BindingSite,
  path: PathSegment[],
): Generator<{ binding: Operand; site: BindingSite; path: PathSegment[] }> {
  if ('left' in expr) {
    yield { binding: expr.left, site, path: [...path, 'left'] };
    yield { binding: expr.right, site, path: [...path, 'right'] };
  } else if ('args' in expr) {
    for (const [i, arg] of expr.args.entries()) yield* operandsOf(arg, site, [...path, 'args', i]);
  } else {
    yield* operandsOf(expr.arg, site, [...path, 'arg']);
  }
}
