/**
 * The laid-out graph as React Flow nodes and edges. Containers come before
 * their children with positions relative to them, as ELK gives them; leaf
 * sizes are fixed, so nothing is measured in the page before it is drawn.
 */
import type { Edge, Node } from '@xyflow/react';
import { isContainer, type Box } from './elk-graph';
import type { GraphEdge, GraphNode } from './model';
import type { NodeRunState } from './run-overlay';

/** What each node component gets: the graph node and, on the run page, its run state. */
export type KilnNodeData = {
  readonly node: GraphNode;
  readonly run?: NodeRunState;
};

/** `task`: a component task; `closed`: a closed loop or sub-pipeline; `container`: a group drawn around its children. */
export type KilnNodeType = 'task' | 'closed' | 'container';

export type KilnFlowNode = Node<KilnNodeData, KilnNodeType>;

function flowType(node: GraphNode): KilnNodeType {
  if (isContainer(node)) return 'container';
  return node.kind === 'task' ? 'task' : 'closed';
}

/**
 * @example
 * ```ts
 * const { nodes, edges } = toFlowElements(graph, layout.boxes, overlayRun(graph, run.tasks));
 * ```
 */
export function toFlowElements(
  graph: { readonly nodes: readonly GraphNode[]; readonly edges: readonly GraphEdge[] },
  boxes: ReadonlyMap<string, Box>,
  runStates?: ReadonlyMap<string, NodeRunState>,
): { nodes: KilnFlowNode[]; edges: Edge[] } {
  const nodes: KilnFlowNode[] = [];
  for (const node of graph.nodes) {
    const box = boxes.get(node.id);
    if (!box) continue; // laid out for another graph: the next layout brings it
    const run = runStates?.get(node.id);
    nodes.push({
      id: node.id,
      type: flowType(node),
      position: { x: box.x, y: box.y },
      width: box.width,
      height: box.height,
      data: run ? { node, run } : { node },
      ...(node.parentId ? { parentId: node.parentId, extent: 'parent' as const } : {}),
      draggable: false,
      connectable: false,
      selectable: node.kind === 'task' || !isContainer(node),
      ariaLabel: `${node.kind} ${node.label}${run?.state ? `, ${run.state}` : ''}`,
    });
  }
  const placed = new Set(nodes.map((n) => n.id));
  const edges: Edge[] = graph.edges
    .filter((e) => placed.has(e.source) && placed.has(e.target))
    .map((e) => ({
      id: e.id,
      source: e.source,
      target: e.target,
      type: 'smoothstep',
      className: `kiln-edge kiln-edge-${e.kind}`,
      markerEnd: { type: 'arrowclosed' },
      focusable: false,
      ...(e.kind === 'exit' ? { label: 'finally' } : {}),
    }));
  return { nodes, edges };
}
