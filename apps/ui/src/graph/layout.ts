/**
 * Lays a graph out with ELK in a Web Worker, so a 1,000-task pipeline never
 * blocks the page. ELK's own worker script is shipped as a file of its own
 * (Vite's `?url`), started once and reused; each layout is measured as a
 * `kiln:graph-layout` performance entry (the browser tests read it).
 */
import ELK from 'elkjs/lib/elk-api.js';
import elkWorkerUrl from 'elkjs/lib/elk-worker.min.js?url';
import { readElkLayout, toElkGraph, type Box } from './elk-graph';
import type { GraphModel } from './model';

export interface GraphLayout {
  readonly boxes: ReadonlyMap<string, Box>;
  readonly width: number;
  readonly height: number;
  /** How long ELK took, in milliseconds. */
  readonly ms: number;
}

let engine: InstanceType<typeof ELK> | undefined;

function elk(): InstanceType<typeof ELK> {
  return (engine ??= new ELK({ workerFactory: () => new Worker(elkWorkerUrl, { name: 'kiln-elk-layout' }) }));
}

/**
 * Starts ELK's worker (its script loads and compiles in the background) so that the first layout
 * does not wait for it; pages call it while they still read what they will lay out.
 *
 * @example
 * ```ts
 * useEffect(() => warmLayoutEngine(), []);
 * ```
 */
export function warmLayoutEngine(): void {
  elk();
}

/**
 * @example
 * ```ts
 * const layout = await layoutGraph(pipelineGraph(spec, pipelineGraphDefaults));
 * layout.boxes.get('train-model'); // { x: 16, y: 120, width: 200, height: 56 }
 * ```
 */
export async function layoutGraph(graph: GraphModel): Promise<GraphLayout> {
  const start = performance.now();
  const laidOut = await elk().layout(toElkGraph(graph));
  const measure = performance.measure('kiln:graph-layout', {
    start,
    detail: { nodes: graph.nodes.length, edges: graph.edges.length },
  });
  return { ...readElkLayout(laidOut), ms: measure.duration };
}

/** A key that changes exactly when the layout would: the nodes, their containers and the edges. */
export function layoutKey(graph: GraphModel): string {
  const nodes = graph.nodes.map((n) => `${n.id}<${n.parentId ?? ''}${n.open ? '+' : ''}`).join('|');
  return `${nodes}#${graph.edges.length}`;
}
