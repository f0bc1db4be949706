/**
 * Which sibling dependencies carry data. The IR's `dependsOn` lists both data
 * dependencies and `.after()` orderings; the graph draws them differently, so
 * the data ones are found again from the bindings, lifted to the sibling level
 * the way the IR's own resolver lifts them (a task inside a branch that reads an
 * outer task makes the condition group depend on it).
 */
import { bindingsOf, visibleDepth, walkDag, type Binding, type Dag, type DagScope, type Operand } from '@kiln/ir';

/** Per DAG: node id → the siblings it reads data from. */
export type DataDependencies = Map<Dag, Map<string, Set<string>>>;

/** The node a binding reads from: a task's output, a loop's fan-in, a condition's oneOf. */
function sourceOf(binding: Binding | Operand): string | undefined {
  switch (binding.kind) {
    case 'output':
      return binding.task;
    case 'collected':
      return binding.loop;
    case 'oneOf':
      return binding.condition;
    default:
      return undefined;
  }
}

function add(deps: DataDependencies, dag: Dag, from: string, to: string): void {
  let byNode = deps.get(dag);
  if (!byNode) deps.set(dag, (byNode = new Map()));
  let set = byNode.get(from);
  if (!set) byNode.set(from, (set = new Set()));
  set.add(to);
}

/**
 * @example
 * ```ts
 * const deps = dataDependencies(rootScope(spec));
 * deps.get(spec.root)?.get('train-model'); // Set { 'load-data' }
 * ```
 */
export function dataDependencies(scope: DagScope): DataDependencies {
  const deps: DataDependencies = new Map();
  for (const visit of walkDag(scope.dag, scope.path)) {
    for (const { binding, site } of bindingsOf(scope, visit)) {
      const source = sourceOf(binding);
      const target = source === undefined ? undefined : scope.nodes.get(source);
      if (!target || site.nodeId === undefined) continue;
      const depth = visibleDepth(target.scopes, site.frames);
      if (depth < 0) continue; // invalid IR: the validator reports it, the graph just leaves the edge out
      const dag = depth === 0 ? scope.dag : site.frames[depth - 1]?.dag;
      const from = depth === site.frames.length ? site.nodeId : site.frames[depth]?.id;
      if (dag && from !== undefined && from !== target.id) add(deps, dag, from, target.id);
    }
  }
  return deps;
}
