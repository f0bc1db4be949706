/**
 * A selected loop: for one task of its body, the per-state counts over all its
 * iterations and its iterations a page at a time, optionally failed only
 * (failed only from the start when there are failures). Both come from the
 * paged iterations route, so a 10,000-item batched loop is read a page at a time.
 */
import type { TaskState, TaskStatus } from '@kiln/engine-contract';
import { useState } from 'react';
import { useLoopIterations } from '../../api/queries';
import { shortText } from '../../components/JsonValue';
import { QueryView } from '../../components/QueryView';
import { StateBadge } from '../../components/StateBadge';
import { StateCounts } from '../../components/StateCounts';
import type { GraphNode } from '../../graph/model';
import type { NodeRunState } from '../../graph/run-overlay';
import { emptyCounts, taskStates, type StateCounts as Counts } from '../../graph/state-counts';

const fullCounts = (counts: Partial<Record<TaskState, number>>): Counts => {
  const full = emptyCounts();
  for (const state of taskStates) full[state] = counts[state] ?? 0;
  return full;
};

function IterationRow({ entry, loopDepth }: { entry: TaskStatus; loopDepth: number }) {
  const index = entry.iteration?.[loopDepth];
  return (
    <li>
      #{index ?? '?'} <StateBadge state={entry.state} />
      {entry.attempts > 1 && <span className="muted"> {entry.attempts} attempts</span>}{' '}
      {entry.error && <span className="muted">{shortText(entry.error, 160)}</span>}
    </li>
  );
}

/**
 * The page a loop's panel asks for first: its first body task, failed only when the loop has
 * failures. The run page reads the same page ahead, so it must not differ from the panel's.
 */
export function firstLoopPage(node: GraphNode, state: NodeRunState | undefined) {
  return { taskId: node.members?.[0], failedOnly: Boolean(state && state.counts.failed > 0) };
}

/** Which body task, failed-only or not, and the page tokens that led to the current page. */
function useLoopBrowser(node: GraphNode, state: NodeRunState | undefined) {
  const members = node.members ?? [];
  const [first] = useState(() => firstLoopPage(node, state));
  const [taskId, setTaskId] = useState(first.taskId);
  const [failedOnly, setFailedOnly] = useState(first.failedOnly);
  const [tokens, setTokens] = useState<readonly string[]>([]);
  return {
    members,
    taskId,
    failedOnly,
    pageToken: tokens.at(-1),
    pageNumber: tokens.length,
    choose: (next: string) => {
      setTaskId(next);
      setTokens([]);
    },
    toggleFailed: (next: boolean) => {
      setFailedOnly(next);
      setTokens([]);
    },
    next: (token: string) => setTokens([...tokens, token]),
    previous: () => setTokens(tokens.slice(0, -1)),
  };
}

export function LoopPanel({ runId, node, state }: { runId: string; node: GraphNode; state: NodeRunState | undefined }) {
  const browser = useLoopBrowser(node, state);
  const iterations = useLoopIterations(
    runId,
    browser.taskId,
    browser.failedOnly ? 'failed' : undefined,
    browser.pageToken,
  );
  return (
    <div className="loop-panel">
      <h3>
        <span className="node-kind">loop</span> {node.label}
      </h3>
      {node.detail && <p className="muted">{node.detail}</p>}
      {browser.members.length > 1 && (
        <label>
          Task{' '}
          <select value={browser.taskId} onChange={(e) => browser.choose(e.target.value)}>
            {browser.members.map((id) => (
              <option key={id} value={id}>
                {id}
              </option>
            ))}
          </select>
        </label>
      )}{' '}
      <label>
        <input type="checkbox" checked={browser.failedOnly} onChange={(e) => browser.toggleFailed(e.target.checked)} />{' '}
        Failed only
      </label>
      {browser.taskId === undefined ? (
        <p className="muted">This loop has no tasks.</p>
      ) : (
        <QueryView query={iterations} what={`iterations of ${browser.taskId}`}>
          {(page) => (
            <>
              <StateCounts counts={fullCounts(page.counts)} label={`Iterations of ${page.taskId} by state`} />
              <ol className="iterations" aria-label={`Iterations of ${page.taskId}`}>
                {page.iterations.map((entry) => (
                  <IterationRow key={entry.iteration?.join(',') ?? ''} entry={entry} loopDepth={node.loopDepth} />
                ))}
              </ol>
              {page.matching === 0 && <p className="muted">No iterations{browser.failedOnly ? ' failed' : ' yet'}.</p>}
              <nav className="pager" aria-label="Pages of iterations">
                <button type="button" disabled={browser.pageNumber === 0} onClick={browser.previous}>
                  Previous
                </button>
                <span>
                  {page.matching
                    ? `page ${browser.pageNumber + 1}, ${page.matching.toLocaleString('en')} matching`
                    : ''}
                </span>
                <button
                  type="button"
                  disabled={page.nextPageToken === undefined}
                  onClick={() => page.nextPageToken && browser.next(page.nextPageToken)}
                >
                  Next
                </button>
              </nav>
            </>
          )}
        </QueryView>
      )}
    </div>
  );
}
