/**
 * Experiments: the experiments seen among the latest runs, the runs of one
 * experiment (paged through the API), and a pick of 2 to 10 of them to compare.
 */
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useRuns } from '../../api/queries';
import { QueryView } from '../../components/QueryView';
import { RunsTable } from '../runs/RunsTable';
import { maxCompared, minCompared } from './compare-limits';

/** How many of the latest runs the experiment list looks at. */
const scanned = 200;

function KnownExperiments() {
  const latest = useRuns({}, scanned, undefined);
  return (
    <QueryView query={latest} what="recent runs">
      {({ runs }) => {
        const counts = new Map<string, number>();
        for (const run of runs) if (run.experiment) counts.set(run.experiment, (counts.get(run.experiment) ?? 0) + 1);
        if (!counts.size) return <p className="muted">None of the latest {scanned} runs belongs to an experiment.</p>;
        return (
          <ul className="experiments">
            {[...counts.entries()].map(([name, count]) => (
              <li key={name}>
                <Link to={`/experiments?${new URLSearchParams({ experiment: name })}`}>{name}</Link>{' '}
                <span className="muted">({count} of the latest runs)</span>
              </li>
            ))}
          </ul>
        );
      }}
    </QueryView>
  );
}

function ExperimentRuns({ experiment }: { experiment: string }) {
  const [tokens, setTokens] = useState<readonly (string | undefined)[]>([undefined]);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const runs = useRuns({ experiment }, 50, tokens[tokens.length - 1]);
  const toggle = (runId: string) => {
    const next = new Set(selected);
    if (!next.delete(runId) && next.size < maxCompared) next.add(runId);
    setSelected(next);
  };
  const ready = selected.size >= minCompared;
  return (
    <>
      <p>
        Pick {minCompared} to {maxCompared} runs: {selected.size} picked.{' '}
        {ready ? (
          <Link
            className="button"
            to={`/experiments/compare?${new URLSearchParams({ runs: [...selected].join(',') })}`}
          >
            Compare {selected.size} runs
          </Link>
        ) : null}
      </p>
      <QueryView query={runs} what={`runs of ${experiment}`}>
        {(page) => (
          <>
            <RunsTable runs={page.runs} selection={{ selected, toggle }} />
            <nav className="pager" aria-label="Pages of runs">
              <button type="button" disabled={tokens.length === 1} onClick={() => setTokens(tokens.slice(0, -1))}>
                Previous page
              </button>
              <button
                type="button"
                disabled={!page.nextPageToken}
                onClick={() => setTokens([...tokens, page.nextPageToken])}
              >
                Next page
              </button>
            </nav>
          </>
        )}
      </QueryView>
    </>
  );
}

export function ExperimentsPage() {
  const [params] = useSearchParams();
  const experiment = params.get('experiment');
  return (
    <section>
      <h1>Experiments{experiment ? <span className="muted"> / {experiment}</span> : null}</h1>
      {experiment ? <ExperimentRuns key={experiment} experiment={experiment} /> : <KnownExperiments />}
    </section>
  );
}
