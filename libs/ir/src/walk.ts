/**
 * Walking the node tree, and the scope rules every reader of the IR shares.
 *
 * A *scope* is one id space: the pipeline's root DAG, or the DAG of one
 * sub-pipeline component. Inside a scope, nodes nest: a group (condition, loop,
 * exit handler) holds DAGs of its own. A binding may name a task in its own DAG
 * or in any enclosing DAG; reaching into a group from outside takes `collected`
 * (loops) or `oneOf` (conditions).
 */
import type { PathSegment } from './json-path';
import type {
  Component,
  ConditionNode,
  Dag,
  ExitHandlerNode,
  IoSpec,
  LoopNode,
  Node,
  PipelineSpec,
  TaskNode,
} from './schema';

export type GroupNode = ConditionNode | LoopNode | ExitHandlerNode;

/** Which of a group's DAGs: a condition branch, a loop or exit-handler body, or the exit DAG. */
export type DagPart = { kind: 'branch'; index: number } | { kind: 'body' } | { kind: 'exit' };

/** One enclosing group of a node, and which of its DAGs the node sits in. */
export interface ScopeFrame {
  readonly id: string;
  readonly node: GroupNode;
  readonly part: DagPart;
  readonly dag: Dag;
}

/** A node as {@link walkNodes} finds it. */
export interface NodeVisit {
  readonly id: string;
  readonly node: Node;
  /** The DAG whose `tasks` hold this node. */
  readonly dag: Dag;
  /** Path from the document root, e.g. `['root', 'tasks', 'train']`. */
  readonly path: readonly PathSegment[];
  /** The enclosing groups, outermost first; empty for a node of the scope's top DAG. */
  readonly scopes: readonly ScopeFrame[];
}

/** A group's child DAGs, each with its part and path relative to the group node. */
export function childDags(node: Node): { part: DagPart; dag: Dag; path: PathSegment[] }[] {
  switch (node.type) {
    case 'task':
      return [];
    case 'condition':
      return node.branches.map((branch, index) => ({
        part: { kind: 'branch', index },
        dag: branch.dag,
        path: ['branches', index, 'dag'],
      }));
    case 'loop':
      return [{ part: { kind: 'body' }, dag: node.body, path: ['body'] }];
    case 'exitHandler':
      return [
        { part: { kind: 'body' }, dag: node.body, path: ['body'] },
        { part: { kind: 'exit' }, dag: node.exit, path: ['exit'] },
      ];
  }
}

/**
 * Every node of a DAG and the DAGs nested in it, parents before children,
 * siblings in key order.
 */
export function* walkDag(
  dag: Dag,
  basePath: readonly PathSegment[] = ['root'],
  scopes: readonly ScopeFrame[] = [],
): Generator<NodeVisit> {
  for (const [id, node] of Object.entries(dag.tasks)) {
    const path = [...basePath, 'tasks', id];
    yield { id, node, dag, path, scopes };
    if (node.type === 'task') continue;
    for (const child of childDags(node)) {
      yield* walkDag(child.dag, [...path, ...child.path], [...scopes, { id, node, part: child.part, dag: child.dag }]);
    }
  }
}

/**
 * Every node of the pipeline's root DAG, nested groups included (not the
 * insides of sub-pipeline components: see {@link componentScope}).
 *
 * @example
 * ```ts
 * for (const { id, node, scopes } of walkNodes(spec)) {
 *   if (node.type === 'task') console.log(id, 'inside', scopes.map((s) => s.id).join(' > '));
 * }
 * ```
 */
export function walkNodes(spec: PipelineSpec): Generator<NodeVisit> {
  return walkDag(spec.root);
}

/** An id space with what its bindings can see: the DAG, its nodes by id and its `param`s. */
export interface DagScope {
  readonly dag: Dag;
  /** Path of the DAG from the document root. */
  readonly path: readonly PathSegment[];
  /** What `param` bindings name: pipeline params, or the sub-pipeline component's inputs. */
  readonly params: Readonly<Record<string, IoSpec>>;
  /** Nodes by id; the first one wins if an id is (invalidly) used twice. */
  readonly nodes: ReadonlyMap<string, NodeVisit>;
  /** The sub-pipeline component this scope belongs to; absent for the pipeline. */
  readonly component?: string;
}

function makeScope(dag: Dag, path: PathSegment[], params: Record<string, IoSpec>, component?: string): DagScope {
  const nodes = new Map<string, NodeVisit>();
  for (const visit of walkDag(dag, path)) if (!nodes.has(visit.id)) nodes.set(visit.id, visit);
  return component === undefined ? { dag, path, params, nodes } : { dag, path, params, nodes, component };
}

/** The pipeline's own scope: the root DAG and the pipeline params. */
export function rootScope(spec: PipelineSpec): DagScope {
  return makeScope(spec.root, ['root'], spec.params);
}

/** The scope inside a sub-pipeline component (`implementation.type === 'dag'`), or undefined. */
export function componentScope(spec: PipelineSpec, componentName: string): DagScope | undefined {
  const component = ownValue(spec.components, componentName);
  if (component?.implementation.type !== 'dag') return undefined;
  return makeScope(
    component.implementation.dag,
    ['components', componentName, 'implementation', 'dag'],
    component.inputs,
    componentName,
  );
}

/** The component a task runs, or undefined if the spec does not define it. */
export function componentOf(spec: PipelineSpec, task: TaskNode): Component | undefined {
  return ownValue(spec.components, task.component);
}

/** The declared input `name` of the component `task` runs. */
export function inputSpec(spec: PipelineSpec, task: TaskNode, name: string): IoSpec | undefined {
  const component = componentOf(spec, task);
  return component && ownValue(component.inputs, name);
}

/** The declared output `name` of the component `task` runs. */
export function outputSpec(spec: PipelineSpec, task: TaskNode, name: string): IoSpec | undefined {
  const component = componentOf(spec, task);
  return component && ownValue(component.outputs, name);
}

/** Same DAG of the same group, frame by frame. */
function sameFrame(a: ScopeFrame, b: ScopeFrame): boolean {
  if (a.id !== b.id || a.part.kind !== b.part.kind) return false;
  return a.part.kind !== 'branch' || (b.part.kind === 'branch' && a.part.index === b.part.index);
}

/**
 * Whether a node whose enclosing groups are `target` sits in one of the DAGs
 * enclosing a consumer whose groups are `consumer` (its own DAG or an outer one).
 * Returns the depth of that DAG (0 = the scope's top DAG), or -1.
 */
export function visibleDepth(target: readonly ScopeFrame[], consumer: readonly ScopeFrame[]): number {
  if (target.length > consumer.length) return -1;
  for (let i = 0; i < target.length; i++) {
    if (!sameFrame(target[i] as ScopeFrame, consumer[i] as ScopeFrame)) return -1;
  }
  return target.length;
}

/** `obj[key]` only if it is the object's own property (ids like "constructor" are legal). */
export function ownValue<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}
