/**
 * A selected loop: its body's task instances by state, and its iterations a
 * page at a time, filtered by state (failed first when there are failures).
 * The iterations come from `listLoopIterations`, which the next stage's paged
 * API route replaces.
 */
import type { TaskState } from '@kiln/engine-contract';
import { useState } from 'react';
import { useLoopIterations } from '../../api/queries';
import { shortText } from '../../components/JsonValue';
import { QueryView } from '../../components/QueryView';
import { StateBadge } from '../../components/StateBadge';
import { StateCounts } from '../../components/StateCounts';
import type { GraphNode } from '../../graph/model';
import type { NodeRunState } from '../../graph/run-overlay';
import { taskStates } from '../../graph/state-counts';

const pageSize = 20;

export function LoopPanel({ runId, node, state }: { runId: string; node: GraphNode; state: NodeRunState | undefined }) {
  const [filter, setFilter] = useState<TaskState | undefined>(state && state.counts.failed > 0 ? 'failed' : undefined);
  const [offset, setOffset] = useState(0);
  const loop = { id: node.id, members: node.members ?? [], loopDepth: node.loopDepth };
  const iterations = useLoopIterations(runId, loop, filter, offset);
  return (
    <div className="loop-panel">
      <h3>
        <span className="node-kind">loop</span> {node.label}
      </h3>
      {node.detail && <p className="muted">{node.detail}</p>}
      {state && <StateCounts counts={state.counts} label={`Task instances in loop ${node.label} by state`} />}
      <label>
        Iterations{' '}
        <select
          value={filter ?? ''}
          onChange={(e) => {
            setFilter(taskStates.find((s) => s === e.target.value));
            setOffset(0);
          }}
        >
          <option value="">all</option>
          {taskStates.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <QueryView query={iterations} what="iterations">
        {(page) => (
          <>
            {page.summarized && (
              <p className="muted">Batched loop: succeeded iterations are counted, not listed one by one.</p>
            )}
            <ol className="iterations">
              {page.iterations.map((iteration) => (
                <li key={iteration.index}>
                  #{iteration.index} <StateBadge state={iteration.state} />{' '}
                  {iteration.tasks
                    .filter((t) => t.error)
                    .slice(0, 1)
                    .map((t) => (
                      <span key={t.id} className="muted">
                        {shortText(t.error ?? '', 160)}
                      </span>
                    ))}
                </li>
              ))}
            </ol>
            {page.total === 0 && <p className="muted">No iterations{filter ? ` in state ${filter}` : ''}.</p>}
            <nav className="pager" aria-label="Pages of iterations">
              <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - pageSize))}>
                Previous
              </button>
              <span>{page.total ? `${offset + 1}–${offset + page.iterations.length} of ${page.total}` : ''}</span>
              <button
                type="button"
                disabled={page.nextOffset === undefined}
                onClick={() => setOffset(page.nextOffset ?? offset)}
              >
                Next
              </button>
            </nav>
          </>
        )}
      </QueryView>
    </div>
  );
}
