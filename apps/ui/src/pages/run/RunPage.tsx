/**
 * The run page: the run's header and per-state summary, its graph coloured by
 * task state (loops as one node with counts), and a panel for the selected node
 * or, with none selected, the run's outputs and artifacts. The run follows its
 * event stream while it goes (polling every 2 s only if the stream fails); the
 * graph's layout does not change with it, only the colours and counts.
 */
import type { PipelineSpec } from '@kiln/ir';
import { useMemo } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { runRefreshInterval } from '../../api/client';
import {
  usePipelineSpec,
  usePrefetchLoopIterations,
  useRun,
  useRunArtifacts,
  type RunLiveness,
} from '../../api/queries';
import type { ListedArtifact, RunResource } from '../../api/wire';
import { ErrorMessage } from '../../components/ErrorMessage';
import { ValueTable } from '../../components/JsonValue';
import { Loading } from '../../components/Loading';
import { QueryView } from '../../components/QueryView';
import { StateCounts } from '../../components/StateCounts';
import type { GraphModel, GraphNode } from '../../graph/model';
import { runGraphDefaults } from '../../graph/model';
import { overlayRun, type NodeRunState } from '../../graph/run-overlay';
import { GraphCanvasWhenLoaded, usePreloadedGraph } from '../../graph-view/lazy-canvas';
import { usePipelineGraph } from '../../graph-view/use-graph';
import { ArtifactList } from './ArtifactList';
import { firstLoopPage, LoopPanel } from './LoopPanel';
import { RunHeader } from './RunHeader';
import { TaskPanel } from './TaskPanel';

/** Loops whose first page of iterations the page reads ahead; more than a few on screen is rare. */
const maxPrefetchedLoops = 4;

/**
 * The loops of the graph, each as its panel will first ask for it (`firstLoopPage`). Only loops
 * whose first task has started: the route has nothing to say about one that has not (a 404), and
 * a page read ahead must not fail.
 */
function loopsToPrefetch(
  graph: GraphModel | undefined,
  states: ReadonlyMap<string, NodeRunState> | undefined,
  tasks: RunResource['tasks'],
) {
  const loops: { taskId: string; failedOnly: boolean }[] = [];
  for (const node of graph?.nodes ?? []) {
    if (node.kind !== 'loop') continue;
    const { taskId, failedOnly } = firstLoopPage(node, states?.get(node.id));
    if (taskId === undefined || !tasks.some((task) => task.id === taskId)) continue;
    loops.push({ taskId, failedOnly });
    if (loops.length === maxPrefetchedLoops) break;
  }
  return loops;
}

function NodePanel(props: {
  run: RunResource;
  spec: PipelineSpec | undefined;
  node: GraphNode;
  state: NodeRunState | undefined;
  artifacts: readonly ListedArtifact[] | undefined;
}) {
  const { node, state } = props;
  if (node.kind === 'task' || node.kind === 'subPipeline') return <TaskPanel {...props} />;
  if (node.kind === 'loop') return <LoopPanel runId={props.run.runId} node={node} state={state} />;
  return (
    <div>
      <h3>{node.label}</h3>
      {state?.branch && <p>This branch was {state.branch.replace('-', ' ')}.</p>}
      {state && <StateCounts counts={state.counts} label={`Tasks in ${node.label} by state`} />}
    </div>
  );
}

const livenessText: Record<RunLiveness, string> = {
  connecting: 'Connecting to the live stream…',
  live: 'Live',
  ended: 'Ended',
  polling: 'Live stream unavailable: refreshing every 2 s',
};

function RunView({ run, liveness }: { run: RunResource; liveness: RunLiveness }) {
  const [params, setParams] = useSearchParams();
  const selectedId = params.get('node') ?? undefined;
  const spec = usePipelineSpec(run.pipeline.name, run.pipeline.digest);
  // The event stream invalidates the artifacts as tasks change; without it they are polled with the run.
  const artifacts = useRunArtifacts(run.runId, liveness === 'polling' ? runRefreshInterval(run) : false);
  const { graph, toggle } = usePipelineGraph(spec.data?.spec, runGraphDefaults);
  const runStates = useMemo(() => (graph ? overlayRun(graph, run.tasks) : undefined), [graph, run.tasks]);
  const selected = graph?.nodes.find((n) => n.id === selectedId);
  usePrefetchLoopIterations(run.runId, loopsToPrefetch(graph, runStates, run.tasks));
  const select = (id: string | undefined) => setParams(id ? { node: id } : {}, { replace: true });
  return (
    <>
      <RunHeader run={run} />
      <p className="muted run-liveness" role="status" data-liveness={liveness}>
        {livenessText[liveness]}
      </p>
      <div className="graph-with-panel">
        {spec.isError && <ErrorMessage error={spec.error} what="the pipeline's IR" />}
        {graph ? (
          <GraphCanvasWhenLoaded
            graph={graph}
            {...(runStates ? { runStates } : {})}
            label={`Graph of run ${run.runId}`}
            {...(selectedId ? { selectedId } : {})}
            onSelect={select}
            onToggle={toggle}
            fallback={<Loading what="the graph" />}
          />
        ) : (
          !spec.isError && <Loading what="the pipeline's IR" />
        )}
        <aside className="panel" aria-label={selected ? `Selected: ${selected.label}` : 'Run outputs'}>
          {selected ? (
            <NodePanel
              run={run}
              spec={spec.data?.spec}
              node={selected}
              state={runStates?.get(selected.id)}
              artifacts={artifacts.data?.artifacts}
            />
          ) : (
            <>
              <h2>Outputs</h2>
              {run.outputs ? (
                <ValueTable caption="Output parameters" values={run.outputs.params} />
              ) : (
                <p className="muted">None yet.</p>
              )}
              <h2>Artifacts</h2>
              <QueryView query={artifacts} what="artifacts">
                {(data) => <ArtifactList artifacts={data.artifacts} showTask />}
              </QueryView>
            </>
          )}
        </aside>
      </div>
    </>
  );
}

export default function RunPage() {
  const runId = useParams().runId ?? '';
  usePreloadedGraph();
  const { query: run, liveness } = useRun(runId);
  return (
    <section>
      <p className="breadcrumbs">
        <Link to="/runs">Runs</Link> /
      </p>
      <QueryView query={run} what={`run ${runId}`}>
        {(data) => <RunView run={data} liveness={liveness} />}
      </QueryView>
    </section>
  );
}
