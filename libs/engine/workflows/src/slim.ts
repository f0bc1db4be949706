/**
 * What a loop batch child needs and nothing more. Its input is recorded in its
 * history, once per batch: carrying the loop's full item list or every upstream
 * output into each of 100 children would make history grow with the square of
 * the loop's size.
 */
import type { LoopNode, PipelineSpec } from '@kiln/ir';
import { collectKey } from './collect-paths';
import type { ScopeSnapshot } from './scope';

/** The spec with its root reduced to the loop, whose own items the child receives as a slice. */
export function slimSpec(spec: PipelineSpec, loopId: string, loop: LoopNode): PipelineSpec {
  return {
    ...spec,
    root: { tasks: { [loopId]: { ...loop, items: { kind: 'constant', value: [] } } } },
    outputs: {},
  };
}

/**
 * The snapshot restricted to the params, task outputs, loop results and collect
 * paths the loop body refers to.
 */
export function slimSnapshot(snapshot: ScopeSnapshot, loop: LoopNode): ScopeSnapshot {
  const refs: Refs = { params: new Set(), tasks: new Set(), loops: new Set(), collected: new Set() };
  // Sub-pipeline components only see their own inputs, so the body is all that can refer outside.
  collectRefs(loop.body, refs);
  const pick = <T>(record: Record<string, T>, keep: Set<string>) =>
    Object.fromEntries(Object.entries(record).filter(([key]) => keep.has(key)));
  return {
    ...snapshot,
    ...(snapshot.values ? { values: pick(snapshot.values, refs.params) } : {}),
    ...(snapshot.params ? { params: pick(snapshot.params, refs.params) } : {}),
    outputs: pick(snapshot.outputs, refs.tasks),
    loops: pick(snapshot.loops, refs.loops),
    ...(snapshot.collectPaths ? { collectPaths: pick(snapshot.collectPaths, refs.collected) } : {}),
  };
}

interface Refs {
  params: Set<string>;
  tasks: Set<string>;
  loops: Set<string>;
  /** `collectKey`s of the `collected` bindings. */
  collected: Set<string>;
}

/** Every `param`, `output`/`oneOf` source and `collected` binding anywhere under `value`. */
function collectRefs(value: unknown, refs: Refs): void {
  if (Array.isArray(value)) {
    for (const item of value) collectRefs(item, refs);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const record = value as Record<string, unknown>;
  if (record['kind'] === 'param' && typeof record['name'] === 'string') refs.params.add(record['name']);
  if (record['kind'] === 'output' && typeof record['task'] === 'string') refs.tasks.add(record['task']);
  if (record['kind'] === 'collected' && typeof record['loop'] === 'string') {
    refs.loops.add(record['loop']);
    if (typeof record['task'] === 'string') refs.collected.add(collectKey(record['loop'], record['task']));
  }
  for (const child of Object.values(record)) collectRefs(child, refs);
}
