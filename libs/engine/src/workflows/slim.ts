/**
 * What a loop batch child needs and nothing more. Its input is recorded in its
 * history, once per batch: carrying the loop's full item list or every upstream
 * output into each of 100 children would make history grow with the square of
 * the loop's size.
 */
import type { LoopNode, PipelineSpec } from '@kiln/ir';
import type { ScopeSnapshot } from './scope';

/** The spec with its root reduced to the loop, whose own items the child receives as a slice. */
export function slimSpec(spec: PipelineSpec, loopId: string, loop: LoopNode): PipelineSpec {
  return {
    ...spec,
    root: { tasks: { [loopId]: { ...loop, items: { kind: 'constant', value: [] } } } },
    outputs: {},
  };
}

/** The snapshot restricted to the params, task outputs and loop results the loop body refers to. */
export function slimSnapshot(snapshot: ScopeSnapshot, loop: LoopNode): ScopeSnapshot {
  const refs = { params: new Set<string>(), tasks: new Set<string>(), loops: new Set<string>() };
  // Sub-pipeline components only see their own inputs, so the body is all that can refer outside.
  collectRefs(loop.body, refs);
  const pick = <T>(record: Record<string, T>, keep: Set<string>) =>
    Object.fromEntries(Object.entries(record).filter(([key]) => keep.has(key)));
  return {
    ...snapshot,
    params: pick(snapshot.params, refs.params),
    outputs: pick(snapshot.outputs, refs.tasks),
    loops: pick(snapshot.loops, refs.loops),
  };
}

/** Every `param`, `output`/`oneOf` source and `collected` binding anywhere under `value`. */
function collectRefs(value: unknown, refs: { params: Set<string>; tasks: Set<string>; loops: Set<string> }): void {
  if (Array.isArray(value)) {
    for (const item of value) collectRefs(item, refs);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const record = value as Record<string, unknown>;
  if (record['kind'] === 'param' && typeof record['name'] === 'string') refs.params.add(record['name']);
  if (record['kind'] === 'output' && typeof record['task'] === 'string') refs.tasks.add(record['task']);
  if (record['kind'] === 'collected' && typeof record['loop'] === 'string') refs.loops.add(record['loop']);
  for (const child of Object.values(record)) collectRefs(child, refs);
}
