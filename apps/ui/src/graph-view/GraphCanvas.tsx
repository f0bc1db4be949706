/**
 * Draws a graph model with React Flow once ELK (in its worker) has laid it out.
 * The layout depends only on the graph's structure, so a run's state changing
 * every few seconds recolours nodes without laying anything out again; layouts
 * are cached by structure, so closing a group again is instant.
 */
import { useQuery } from '@tanstack/react-query';
import { Background, Controls, MiniMap, ReactFlow } from '@xyflow/react';
import { useMemo } from 'react';
import { bigGraphNodes } from '../graph/elk-graph';
import { toFlowElements } from '../graph/flow-elements';
import { layoutGraph, layoutKey } from '../graph/layout';
import type { GraphModel } from '../graph/model';
import type { NodeRunState } from '../graph/run-overlay';
import { ErrorMessage } from '../components/ErrorMessage';
import { GraphActionsContext } from './actions';
import { nodeTypes } from './node-views';

export interface GraphCanvasProps {
  readonly graph: GraphModel;
  /** On the run page: each node's state. */
  readonly runStates?: ReadonlyMap<string, NodeRunState>;
  readonly selectedId?: string;
  readonly onSelect?: (nodeId: string | undefined) => void;
  readonly onToggle: (nodeId: string) => void;
  /** What the graph shows, for screen readers. */
  readonly label: string;
}

export default function GraphCanvas({ graph, runStates, selectedId, onSelect, onToggle, label }: GraphCanvasProps) {
  const key = useMemo(() => layoutKey(graph), [graph]);
  const big = graph.nodes.length > bigGraphNodes;
  const layout = useQuery({
    queryKey: ['graph-layout', key],
    queryFn: () => layoutGraph(graph),
    staleTime: Infinity,
    gcTime: 5 * 60_000,
    retry: false,
  });
  const elements = useMemo(() => {
    if (!layout.data) return undefined;
    const { nodes, edges } = toFlowElements(graph, layout.data.boxes, runStates);
    return { nodes: nodes.map((n) => (n.id === selectedId ? { ...n, selected: true } : n)), edges };
  }, [graph, layout.data, runStates, selectedId]);
  const actions = useMemo(() => ({ toggle: onToggle, ...(selectedId ? { selectedId } : {}) }), [onToggle, selectedId]);

  if (layout.isError) return <ErrorMessage error={layout.error} what="the graph layout" />;
  return (
    <section className="graph" aria-label={label}>
      {!elements ? (
        <p className="loading" role="status">
          Laying out {graph.nodes.length} nodes…
        </p>
      ) : (
        <GraphActionsContext.Provider value={actions}>
          <ReactFlow
            key={key}
            nodes={elements.nodes}
            edges={elements.edges}
            nodeTypes={nodeTypes}
            onNodeClick={(_event, node) => onSelect?.(node.id)}
            onPaneClick={() => onSelect?.(undefined)}
            // A big graph opens readable at its top left (the minimap shows the rest), not shrunk to fit.
            {...(big
              ? { defaultViewport: { x: 8, y: 8, zoom: 0.8 } }
              : { fitView: true, fitViewOptions: { maxZoom: 1 } })}
            minZoom={0.02}
            maxZoom={2}
            onlyRenderVisibleElements
            nodesDraggable={false}
            nodesConnectable={false}
            edgesFocusable={false}
            colorMode="light"
          >
            <Background />
            <Controls showInteractive={false} />
            {graph.nodes.length > 30 && <MiniMap pannable zoomable ariaLabel="Overview of the graph" />}
          </ReactFlow>
        </GraphActionsContext.Provider>
      )}
      {layout.data && (
        <p className="graph-meta muted">
          {graph.nodes.length} nodes laid out in {Math.round(layout.data.ms)} ms
        </p>
      )}
    </section>
  );
}
