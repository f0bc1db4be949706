/** The run at a glance: state, pipeline, experiment, times, origin, error, every task instance by state, and the actions the role allows. */
import { Link } from 'react-router';
import type { RunResource } from '../../api/wire';
import { ExternalLink } from '../../components/ExternalLink';
import { shortText, ValueTable } from '../../components/JsonValue';
import { StateBadge } from '../../components/StateBadge';
import { StateBar, StateCounts } from '../../components/StateCounts';
import { Duration, Time } from '../../components/Time';
import { runStateCounts } from '../../graph/state-counts';
import { RunActions } from './RunActions';

export function RunHeader({ run }: { run: RunResource }) {
  const counts = runStateCounts(run.tasks);
  const version = run.origin?.pipelineVersion;
  return (
    <header className="run-header">
      <h1>
        {run.runId} <StateBadge state={run.state} />
      </h1>
      <dl className="facts inline">
        <dt>Pipeline</dt>
        <dd>
          {version ? (
            <Link to={`/pipelines/${encodeURIComponent(run.pipeline.name)}/versions/${encodeURIComponent(version)}`}>
              {run.pipeline.name} {version}
            </Link>
          ) : (
            run.pipeline.name
          )}
        </dd>
        {run.experiment && (
          <>
            <dt>Experiment</dt>
            <dd>
              <Link to={`/experiments?${new URLSearchParams({ experiment: run.experiment })}`}>{run.experiment}</Link>
            </dd>
          </>
        )}
        <dt>Started</dt>
        <dd>
          <Time iso={run.startedAt} />
        </dd>
        <dt>Took</dt>
        <dd>
          <Duration from={run.startedAt} to={run.finishedAt} />
        </dd>
        {run.origin && (
          <>
            <dt>Started by</dt>
            <dd>{run.origin.startedBy}</dd>
          </>
        )}
        {run.origin?.retryOf && (
          <>
            <dt>Retry of</dt>
            <dd>
              <Link to={`/runs/${encodeURIComponent(run.origin.retryOf)}`}>{run.origin.retryOf}</Link>
            </dd>
          </>
        )}
        <dt>Temporal</dt>
        <dd>
          <ExternalLink href={run.temporal.ui}>
            {run.temporal.status}, {run.temporal.historyLength} events
          </ExternalLink>
        </dd>
      </dl>
      <RunActions run={run} />
      {run.error && (
        <p className="error" role="alert">
          {shortText(run.error, 2000)}
        </p>
      )}
      <div className="run-summary">
        <StateCounts counts={counts} label="Task instances by state" />
        <StateBar counts={counts} />
      </div>
      <details>
        <summary>Parameters</summary>
        <ValueTable caption="Parameters" values={run.params} />
      </details>
    </header>
  );
}
