/** Rows of runs: state, pipeline, experiment, times, links to the run page and the Temporal UI. */
import { Link } from 'react-router';
import type { RunSummary } from '../../api/wire';
import { ExternalLink } from '../../components/ExternalLink';
import { StateBadge } from '../../components/StateBadge';
import { Duration, Time } from '../../components/Time';

export function RunsTable({
  runs,
  selection,
}: {
  runs: readonly RunSummary[];
  /** With a selection, each row gets a checkbox (the experiments page picks runs to compare). */
  selection?: { readonly selected: ReadonlySet<string>; readonly toggle: (runId: string) => void };
}) {
  if (!runs.length) return <p className="muted">No runs match.</p>;
  return (
    <table className="list runs">
      <thead>
        <tr>
          {selection && <th scope="col">Compare</th>}
          <th scope="col">Run</th>
          <th scope="col">State</th>
          <th scope="col">Pipeline</th>
          <th scope="col">Experiment</th>
          <th scope="col">Started</th>
          <th scope="col">Took</th>
          <th scope="col">Temporal</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((run) => (
          <tr key={run.runId}>
            {selection && (
              <td>
                <input
                  type="checkbox"
                  aria-label={`Compare ${run.runId}`}
                  checked={selection.selected.has(run.runId)}
                  onChange={() => selection.toggle(run.runId)}
                />
              </td>
            )}
            <td>
              <Link to={`/runs/${encodeURIComponent(run.runId)}`}>{run.runId}</Link>
            </td>
            <td>
              <StateBadge state={run.state} />
            </td>
            <td>{run.pipeline.name}</td>
            <td>{run.experiment ?? ''}</td>
            <td>
              <Time iso={run.startedAt} />
            </td>
            <td>
              <Duration
                from={run.startedAt}
                to={run.finishedAt ?? (run.state === 'RUNNING' ? undefined : run.startedAt)}
              />
            </td>
            <td>
              <ExternalLink href={run.ui}>history</ExternalLink>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
