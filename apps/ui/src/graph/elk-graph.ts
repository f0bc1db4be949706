/**
 * The graph as ELK's JSON input (containers nest their children; every edge
 * joins siblings, so it sits in their container and each container is laid out
 * on its own, the fast way), and ELK's answer read back as positioned boxes.
 */
import type { ElkExtendedEdge, ElkNode, LayoutOptions } from 'elkjs/lib/elk-api';
import type { GraphModel, GraphNode } from './model';

/** Box sizes of leaf nodes; containers get theirs from the layout. */
export const leafSize: Readonly<Record<'task' | 'closedGroup', { width: number; height: number }>> = {
  task: { width: 200, height: 56 },
  closedGroup: { width: 240, height: 84 },
};

/** Room above a container's children for its header. */
export const headerHeight = 32;

const baseOptions: LayoutOptions = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.layered.spacing.nodeNodeBetweenLayers': '48',
  'elk.spacing.nodeNode': '24',
};

/** Small graphs: the tidiest drawing ELK makes (compact layers, the IR's order kept, thorough crossing reduction). */
const tidyOptions: LayoutOptions = {
  ...baseOptions,
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
};

/**
 * Big graphs: linear-time choices where ELK's defaults are superlinear (longest-path layering instead
 * of network simplex, one crossing-reduction sweep, no greedy switch, simple node placement, straight
 * edge routes: React Flow draws its own edges anyway). Several times faster on 1,000 tasks.
 */
const fastOptions: LayoutOptions = {
  ...baseOptions,
  'elk.layered.layering.strategy': 'LONGEST_PATH',
  'elk.layered.thoroughness': '1',
  'elk.layered.crossingMinimization.greedySwitch.type': 'OFF',
  'elk.layered.nodePlacement.strategy': 'SIMPLE',
  'elk.edgeRouting': 'POLYLINE',
};

/**
 * Huge graphs: no crossing-reduction sweep at all; each layer keeps the IR's order. Halves the
 * layout time of 1,000 tasks again, at the price of more crossings.
 */
const hugeOptions: LayoutOptions = {
  ...fastOptions,
  'elk.layered.crossingMinimization.strategy': 'INTERACTIVE',
};

/** Graphs with more boxes than this get the fast options. */
export const bigGraphNodes = 250;
/** Graphs with more boxes than this keep the IR's order in each layer. */
export const hugeGraphNodes = 600;

type Size = 'small' | 'big' | 'huge';

const optionsBySize: Record<Size, LayoutOptions> = { small: tidyOptions, big: fastOptions, huge: hugeOptions };

function options(size: Size, container: boolean): LayoutOptions {
  const padding = container
    ? `[top=${headerHeight + 12},left=12,bottom=12,right=12]`
    : '[top=16,left=16,bottom=16,right=16]';
  return { ...optionsBySize[size], 'elk.padding': padding };
}

/** Which layout options a graph gets, by how many boxes it has. */
export function graphSize(graph: GraphModel): Size {
  const boxes = graph.nodes.length;
  return boxes > hugeGraphNodes ? 'huge' : boxes > bigGraphNodes ? 'big' : 'small';
}

/** Whether a node holds others in this graph (an open group, a branch, an exit part). */
export function isContainer(node: GraphNode): boolean {
  if (node.kind === 'task') return false;
  if (node.kind === 'loop' || node.kind === 'subPipeline') return node.open === true;
  return true;
}

const rootId = '__root__';

/**
 * @example
 * ```ts
 * const laidOut = await elk.layout(toElkGraph(graph));
 * const boxes = readElkLayout(laidOut);
 * ```
 */
export function toElkGraph(graph: GraphModel): ElkNode {
  const size = graphSize(graph);
  const root: ElkNode = { id: rootId, layoutOptions: options(size, false), children: [], edges: [] };
  const elkNodes = new Map<string, ElkNode>([[rootId, root]]);
  for (const node of graph.nodes) {
    const elkNode: ElkNode = isContainer(node)
      ? { id: node.id, layoutOptions: options(size, true), children: [], edges: [] }
      : { id: node.id, ...(node.kind === 'task' ? leafSize.task : leafSize.closedGroup) };
    elkNodes.set(node.id, elkNode);
    const parent = elkNodes.get(node.parentId ?? rootId);
    if (!parent) throw new Error(`graph node ${node.id} comes before its container ${node.parentId}`);
    (parent.children ??= []).push(elkNode);
  }
  const parentOf = new Map(graph.nodes.map((n) => [n.id, n.parentId ?? rootId]));
  for (const edge of graph.edges) {
    const container = elkNodes.get(parentOf.get(edge.source) ?? rootId) ?? root;
    const elkEdge: ElkExtendedEdge = { id: edge.id, sources: [edge.source], targets: [edge.target] };
    (container.edges ??= []).push(elkEdge);
  }
  return root;
}

/** A laid-out node: position relative to its container (as React Flow wants it) and size. */
export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** ELK's answer as boxes by node id, plus the whole drawing's size. */
export function readElkLayout(laidOut: ElkNode): { boxes: Map<string, Box>; width: number; height: number } {
  const boxes = new Map<string, Box>();
  const visit = (node: ElkNode) => {
    for (const child of node.children ?? []) {
      boxes.set(child.id, { x: child.x ?? 0, y: child.y ?? 0, width: child.width ?? 0, height: child.height ?? 0 });
      visit(child);
    }
  };
  visit(laidOut);
  return { boxes, width: laidOut.width ?? 0, height: laidOut.height ?? 0 };
}
