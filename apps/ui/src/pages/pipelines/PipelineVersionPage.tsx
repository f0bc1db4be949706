/** One pipeline version: its graph from the IR, and what the IR says about the selected task. */
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { usePipelineVersion } from '../../api/queries';
import { Loading } from '../../components/Loading';
import { QueryView } from '../../components/QueryView';
import { ValueTable } from '../../components/JsonValue';
import { pipelineGraphDefaults } from '../../graph/model';
import { GraphCanvasWhenLoaded, usePreloadedGraph } from '../../graph-view/lazy-canvas';
import { usePipelineGraph } from '../../graph-view/use-graph';
import { TaskSpecPanel } from './TaskSpecPanel';

export default function PipelineVersionPage() {
  const { name = '', version = '' } = useParams();
  const query = usePipelineVersion(name, version);
  usePreloadedGraph();
  const { graph, toggle } = usePipelineGraph(query.data?.spec, pipelineGraphDefaults);
  const [selectedId, setSelectedId] = useState<string>();
  const selected = graph?.nodes.find((n) => n.id === selectedId);
  return (
    <section>
      <p className="breadcrumbs">
        <Link to="/pipelines">Pipelines</Link> / <Link to={`/pipelines/${encodeURIComponent(name)}`}>{name}</Link> /
      </p>
      <h1>
        {name} <span className="muted">version {version}</span>
      </h1>
      <QueryView query={query} what={`version ${version} of ${name}`}>
        {({ spec, digest, description }) => (
          <>
            {(spec.pipeline.description ?? description) && (
              <p className="description">{spec.pipeline.description ?? description}</p>
            )}
            <p className="muted">
              <code>{digest}</code>
            </p>
            <div className="graph-with-panel">
              {graph && (
                <GraphCanvasWhenLoaded
                  graph={graph}
                  label={`Graph of pipeline ${name}`}
                  selectedId={selectedId}
                  onSelect={setSelectedId}
                  onToggle={toggle}
                  fallback={<Loading what="the graph" />}
                />
              )}
              {selected ? (
                <TaskSpecPanel spec={spec} node={selected} />
              ) : (
                <aside className="panel" aria-label="Parameters">
                  <ValueTable
                    caption="Parameters (defaults)"
                    values={Object.fromEntries(
                      Object.entries(spec.params).map(([p, s]) => [p, s.default ?? `(${s.type}, required)`]),
                    )}
                  />
                  <p className="muted">Select a task to see its inputs and settings.</p>
                </aside>
              )}
            </div>
          </>
        )}
      </QueryView>
    </section>
  );
}
