/**
 * The runs list: filters (pipeline, experiment, state, time window) and paging
 * through the API's page tokens, one page at a time, so 10,000 runs are never
 * loaded at once. Previous pages are kept as the tokens that led to them.
 */
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import type { RunFilter } from '../../api/client';
import { useRuns } from '../../api/queries';
import { QueryView } from '../../components/QueryView';
import { RunFilters, runStates, type RunFilterValues } from './RunFilters';
import { RunsTable } from './RunsTable';
import { startedAfter, toTimeWindow } from './time-window';

const pageSize = 50;

function readFilters(params: URLSearchParams): RunFilterValues {
  const status = runStates.find((s) => s === params.get('status')) ?? '';
  return {
    pipeline: params.get('pipeline') ?? '',
    experiment: params.get('experiment') ?? '',
    status,
    window: toTimeWindow(params.get('window')),
  };
}

/** The API's filter; the time window counts back from `since`, when the filters were applied. */
function apiFilter(values: RunFilterValues, since: number): RunFilter {
  const after = startedAfter(values.window, since);
  return {
    ...(values.pipeline ? { pipeline: values.pipeline } : {}),
    ...(values.experiment ? { experiment: values.experiment } : {}),
    ...(values.status ? { status: values.status } : {}),
    ...(after ? { startedAfter: after } : {}),
  };
}

function RunPages({ values }: { values: RunFilterValues }) {
  // tokens[i] is the token of page i (page 0 has none).
  const [tokens, setTokens] = useState<readonly (string | undefined)[]>([undefined]);
  // The window is fixed when the filters are applied (this component is keyed by them), so paging
  // through it never shifts under the reader's eyes and every page shares one query key.
  const [appliedAt] = useState(() => Date.now());
  const page = tokens.length - 1;
  const query = useRuns(apiFilter(values, appliedAt), pageSize, tokens[page]);
  return (
    <QueryView query={query} what="runs">
      {(data) => {
        const next = data.nextPageToken;
        return (
          <>
            <RunsTable runs={data.runs} />
            <nav className="pager" aria-label="Pages of runs">
              <button type="button" disabled={page === 0} onClick={() => setTokens(tokens.slice(0, -1))}>
                Previous page
              </button>
              <span>Page {page + 1}</span>
              <button type="button" disabled={!next} onClick={() => setTokens([...tokens, next])}>
                Next page
              </button>
            </nav>
          </>
        );
      }}
    </QueryView>
  );
}

export function RunsPage() {
  const [params, setParams] = useSearchParams();
  const values = readFilters(params);
  const apply = (next: RunFilterValues) => {
    const search = new URLSearchParams();
    if (next.pipeline) search.set('pipeline', next.pipeline);
    if (next.experiment) search.set('experiment', next.experiment);
    if (next.status) search.set('status', next.status);
    if (next.window !== 'any') search.set('window', next.window);
    setParams(search);
  };
  return (
    <section>
      <h1>Runs</h1>
      {/* New filters: a fresh form and paging from page one (distinct keys: they are siblings). */}
      <RunFilters key={`filters?${params}`} values={values} onApply={apply} />
      <RunPages key={`pages?${params}`} values={values} />
    </section>
  );
}
