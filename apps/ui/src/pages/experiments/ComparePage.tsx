/**
 * 2 to 10 runs side by side: their parameters, their metrics (from Metrics
 * artifacts), and a chart per metric.
 */
import type { JsonValue as Value } from '@kiln/ir';
import { Link, useSearchParams } from 'react-router';
import { useRunsMetrics } from '../../api/queries';
import type { RunMetrics } from '../../api/client';
import { MetricBars } from '../../charts/MetricBars';
import { JsonValue } from '../../components/JsonValue';
import { QueryView } from '../../components/QueryView';
import { maxCompared, minCompared } from './compare-limits';

const union = (records: readonly Readonly<Record<string, unknown>>[]) =>
  [...new Set(records.flatMap((r) => Object.keys(r)))].sort();

/** A short label per run for column heads and chart axes. */
const shortRunId = (runId: string) => (runId.length > 12 ? `…${runId.slice(-8)}` : runId);

function SideBySide({
  runs,
  rows,
  caption,
  value,
}: {
  runs: readonly RunMetrics[];
  rows: readonly string[];
  caption: string;
  value: (run: RunMetrics, row: string) => Value | undefined;
}) {
  return (
    <table className="list compare">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          {runs.map((run) => (
            <th key={run.runId} scope="col" title={run.runId}>
              <Link to={`/runs/${encodeURIComponent(run.runId)}`}>{shortRunId(run.runId)}</Link>
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => {
          const values = runs.map((run) => JSON.stringify(value(run, row)));
          const differs = new Set(values).size > 1;
          return (
            <tr key={row} className={differs ? 'differs' : ''}>
              <th scope="row">{row}</th>
              {runs.map((run) => (
                <td key={run.runId}>
                  <JsonValue value={value(run, row)} />
                </td>
              ))}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export default function ComparePage() {
  const [params] = useSearchParams();
  const runIds = [...new Set((params.get('runs') ?? '').split(',').filter(Boolean))];
  const metrics = useRunsMetrics(runIds.length >= minCompared && runIds.length <= maxCompared ? runIds : []);
  if (runIds.length < minCompared || runIds.length > maxCompared)
    return (
      <section>
        <h1>Compare runs</h1>
        <p className="error" role="alert">
          Pick {minCompared} to {maxCompared} runs to compare ({runIds.length} given).{' '}
          <Link to="/experiments">Experiments</Link>
        </p>
      </section>
    );
  return (
    <section>
      <p className="breadcrumbs">
        <Link to="/experiments">Experiments</Link> /
      </p>
      <h1>Compare {runIds.length} runs</h1>
      <QueryView query={metrics} what="the runs' parameters and metrics">
        {(runs) => {
          const metricNames = union(runs.map((r) => r.metrics));
          return (
            <>
              <SideBySide
                runs={runs}
                rows={union(runs.map((r) => r.params))}
                caption="Parameters"
                value={(run, row) => run.params[row]}
              />
              <SideBySide runs={runs} rows={metricNames} caption="Metrics" value={(run, row) => run.metrics[row]} />
              <div className="metric-charts">
                {metricNames.map((metric) => (
                  <MetricBars
                    key={metric}
                    metric={metric}
                    runs={runs.map((r) => ({ label: shortRunId(r.runId), value: r.metrics[metric] }))}
                  />
                ))}
              </div>
            </>
          );
        }}
      </QueryView>
    </section>
  );
}
