/**
 * KFP copies a component for every task that uses it (`comp-echo`,
 * `comp-echo-2`, ...). Once env and resources have moved to the tasks, the
 * copies are identical; Kiln keeps one of each and points every task at it.
 */
import { canonicalJson, type Component, type Dag, type Node } from '@kiln/ir';

/** Merges identical components (same interface and implementation), keeping the shortest key. */
export function dedupeComponents(components: Record<string, Component>, roots: Dag[]): Record<string, Component> {
  let current = components;
  for (;;) {
    const byContent = new Map<string, string>();
    const rename = new Map<string, string>();
    const keys = Object.keys(current).sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
    for (const key of keys) {
      const { name: _name, ...content } = current[key] as Component;
      const text = canonicalJson(content);
      const kept = byContent.get(text);
      if (kept === undefined) byContent.set(text, key);
      else rename.set(key, kept);
    }
    if (rename.size === 0) return current;
    const next: Record<string, Component> = {};
    for (const [key, component] of Object.entries(current)) {
      if (rename.has(key)) continue;
      if (component.implementation.type === 'dag') renameIn(component.implementation.dag, rename);
      next[key] = component;
    }
    for (const root of roots) renameIn(root, rename);
    current = next;
  }
}

function renameIn(dag: Dag, rename: ReadonlyMap<string, string>): void {
  for (const node of Object.values(dag.tasks)) renameNode(node, rename);
}

function renameNode(node: Node, rename: ReadonlyMap<string, string>): void {
  switch (node.type) {
    case 'task':
      node.component = rename.get(node.component) ?? node.component;
      return;
    case 'condition':
      for (const branch of node.branches) renameIn(branch.dag, rename);
      return;
    case 'loop':
      renameIn(node.body, rename);
      return;
    case 'exitHandler':
      renameIn(node.body, rename);
      renameIn(node.exit, rename);
      return;
  }
}
