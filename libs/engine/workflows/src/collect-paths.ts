/**
 * Where each `collected` producer sits below its loop: the nested loops on the
 * way, which decide how many list levels the fan-in has. Worked out once per
 * execution from the spec, so the scope can walk iteration results directly.
 *
 * Loop and task ids are unique only within one DAG owner: the pipeline's root
 * DAG, or the DAG of one sub-pipeline component (the DSL numbers loops per
 * pipeline, so both may have a `for-loop-1` holding a `print-op`, nested
 * differently). So paths are kept per owner, each found from its own loop, and a
 * scope reads those of the DAG it runs.
 *
 * Runs started before that (patch {@link COLLECT_PATHS_PATCH}) keep one table for the
 * whole spec (see {@link legacyCollectPaths}): where ids were shared, a fan-in got
 * another DAG's depth, and a loop over it another number of iterations, which their
 * histories recorded.
 */
import type { Binding, Dag, Node, PipelineSpec } from '@kiln/ir';

/**
 * For each `collected` binding of one DAG owner, keyed by {@link collectKey}:
 * the nested loops between the collected loop's body and the producer, outermost first.
 */
export type DagCollectPaths = ReadonlyMap<string, readonly string[]>;

/** {@link DagCollectPaths} of every DAG owner of a spec. */
export interface CollectPaths {
  /** Of the root DAG's bindings and the pipeline outputs; before the patch, of every DAG. */
  readonly root: DagCollectPaths;
  /** Of each sub-pipeline component's DAG and outputs, by the component's key in `spec.components`. */
  readonly components: ReadonlyMap<string, DagCollectPaths>;
  /** False for runs started before {@link COLLECT_PATHS_PATCH}: every DAG reads `root`. */
  readonly perOwner: boolean;
}

/** Runs started before this patch look collect paths up in one table for the whole spec. */
export const COLLECT_PATHS_PATCH = 'kiln-collect-paths-per-dag';

export const NO_COLLECT_PATHS: CollectPaths = { root: new Map(), components: new Map(), perOwner: true };

/** The key of a `collected` binding's path: `<loop>/<task>`. */
export function collectKey(loop: string, task: string): string {
  return `${loop}/${task}`;
}

/**
 * The paths of every DAG owner of `spec`, each found from the owner's own loops.
 *
 * @example
 * ```ts
 * const paths = collectPaths(spec);
 * paths.components.get('inner-pipeline')?.get(collectKey('for-loop-1', 'print-op')); // ['for-loop-2']
 * ```
 */
export function collectPaths(spec: PipelineSpec): CollectPaths {
  const components = new Map<string, DagCollectPaths>();
  for (const [key, component] of Object.entries(spec.components)) {
    if (component.implementation.type !== 'dag') continue;
    components.set(key, dagCollectPaths(component.implementation.dag, component.implementation.outputs));
  }
  return { root: dagCollectPaths(spec.root, spec.outputs), components, perOwner: true };
}

/** The paths the bindings of a DAG read: the one of `component`, or the root DAG when undefined. */
export function pathsOfDag(paths: CollectPaths, component: string | undefined): DagCollectPaths {
  if (!paths.perOwner || component === undefined) return paths.root;
  return paths.components.get(component) ?? NO_COLLECT_PATHS.root;
}

/**
 * The table of runs started before {@link COLLECT_PATHS_PATCH}, for them to replay:
 * keyed across the whole spec, the first binding seen deciding, with the loop
 * looked up anywhere (root DAG first, then the components in order).
 */
export function legacyCollectPaths(spec: PipelineSpec): CollectPaths {
  const dags = [spec.root];
  for (const component of Object.values(spec.components)) {
    if (component.implementation.type === 'dag') dags.push(component.implementation.dag);
  }
  const paths = new Map<string, readonly string[]>();
  const note = (binding: Binding): void => {
    if (binding.kind !== 'collected') return;
    const key = collectKey(binding.loop, binding.task);
    if (paths.has(key)) return;
    const loop = dags.map((dag) => findNode(dag, binding.loop)).find(Boolean);
    const path = loop?.type === 'loop' ? loopsTo(loop.body, binding.task) : undefined;
    paths.set(key, path ?? []);
  };
  forEachBinding(spec.root, note);
  Object.values(spec.outputs).forEach(note);
  for (const component of Object.values(spec.components)) {
    if (component.implementation.type !== 'dag') continue;
    forEachBinding(component.implementation.dag, note);
    Object.values(component.implementation.outputs).forEach(note);
  }
  return { root: paths, components: new Map(), perOwner: false };
}

/** The paths of the `collected` bindings in `top` (nested groups included) and in its owner's `outputs`. */
function dagCollectPaths(top: Dag, outputs: Record<string, Binding>): DagCollectPaths {
  const paths = new Map<string, readonly string[]>();
  const note = (binding: Binding): void => {
    if (binding.kind !== 'collected') return;
    const key = collectKey(binding.loop, binding.task);
    if (paths.has(key)) return;
    // Validation rejects a loop of another DAG owner; such a binding gets no entry (a flat fan-in).
    const loop = findNode(top, binding.loop);
    if (loop?.type === 'loop') paths.set(key, loopsTo(loop.body, binding.task) ?? []);
  };
  forEachBinding(top, note);
  Object.values(outputs).forEach(note);
  return paths;
}

/** Calls `note` with every binding of the tasks and loop items in `dag` and its nested groups. */
function forEachBinding(dag: Dag, note: (binding: Binding) => void): void {
  for (const node of Object.values(dag.tasks)) {
    switch (node.type) {
      case 'task':
        Object.values(node.inputs).forEach(note);
        break;
      case 'condition':
        node.branches.forEach((b) => forEachBinding(b.dag, note));
        break;
      case 'loop':
        note(node.items);
        forEachBinding(node.body, note);
        break;
      case 'exitHandler':
        forEachBinding(node.body, note);
        forEachBinding(node.exit, note);
        break;
    }
  }
}

/** The node `id` in `dag` or the groups nested in it (not in sub-pipelines: they are other owners). */
function findNode(dag: Dag, id: string): Node | undefined {
  for (const [key, node] of Object.entries(dag.tasks)) {
    if (key === id) return node;
    const inner =
      node.type === 'condition'
        ? node.branches.map((b) => findNode(b.dag, id)).find(Boolean)
        : node.type === 'loop'
          ? findNode(node.body, id)
          : node.type === 'exitHandler'
            ? (findNode(node.body, id) ?? findNode(node.exit, id))
            : undefined;
    if (inner) return inner;
  }
  return undefined;
}

/** The loop ids from `dag` down to `task` (conditions are crossed silently), or undefined if it is not there. */
function loopsTo(dag: Dag, task: string): string[] | undefined {
  for (const [id, node] of Object.entries(dag.tasks)) {
    if (id === task) return [];
    if (node.type === 'condition') {
      for (const branch of node.branches) {
        const found = loopsTo(branch.dag, task);
        if (found) return found;
      }
    } else if (node.type === 'loop') {
      const found = loopsTo(node.body, task);
      if (found) return [id, ...found];
    }
  }
  return undefined;
}
