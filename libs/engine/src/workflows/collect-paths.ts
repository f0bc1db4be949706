/**
 * Where each `collected` producer sits below its loop: the nested loops on the
 * way, which decide how many list levels the fan-in has. Worked out once per
 * execution from the spec, so the scope can walk iteration results directly.
 */
import type { Binding, Dag, PipelineSpec } from '@kiln/ir';
import type { CollectPaths } from './scope';
import { findNode } from './execution';

export function collectPaths(spec: PipelineSpec): CollectPaths {
  const paths = new Map<string, readonly string[]>();
  const note = (binding: Binding): void => {
    if (binding.kind !== 'collected') return;
    const key = `${binding.loop}/${binding.task}`;
    if (paths.has(key)) return;
    const loop = findNode(spec, binding.loop);
    const path = loop?.type === 'loop' ? loopsTo(loop.body, binding.task) : undefined;
    paths.set(key, path ?? []);
  };
  const visit = (dag: Dag): void => {
    for (const node of Object.values(dag.tasks)) {
      switch (node.type) {
        case 'task':
          Object.values(node.inputs).forEach(note);
          break;
        case 'condition':
          node.branches.forEach((b) => visit(b.dag));
          break;
        case 'loop':
          note(node.items);
          visit(node.body);
          break;
        case 'exitHandler':
          visit(node.body);
          visit(node.exit);
          break;
      }
    }
  };
  visit(spec.root);
  Object.values(spec.outputs).forEach(note);
  for (const component of Object.values(spec.components)) {
    if (component.implementation.type !== 'dag') continue;
    visit(component.implementation.dag);
    Object.values(component.implementation.outputs).forEach(note);
  }
  return paths;
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
