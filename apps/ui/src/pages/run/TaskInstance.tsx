/** One task instance: state, attempts (each with timings and failure), error, pod, inputs, outputs, artifacts, saved and live logs. */
import type { TaskStatus } from '@kiln/engine-contract';
import type { PipelineSpec } from '@kiln/ir';
import type { ListedArtifact, RunResource } from '../../api/wire';
import { ExternalLink } from '../../components/ExternalLink';
import { JsonValue, shortText, ValueTable } from '../../components/JsonValue';
import { StateBadge } from '../../components/StateBadge';
import { Duration, Time } from '../../components/Time';
import { ArtifactList } from './ArtifactList';
import { AttemptList } from './AttemptList';
import { TaskLog } from './TaskLog';
import { taskInputs, type TaskInput } from './task-inputs';

const sameIteration = (a: readonly number[] | undefined, b: readonly number[] | undefined) =>
  (a ?? []).join(',') === (b ?? []).join(',');

/** State, attempts, timings, executor, pod, exit code, reason, Temporal link. */
function InstanceFacts({ run, entry }: { run: RunResource; entry: TaskStatus }) {
  return (
    <dl className="facts">
      <dt>Component</dt>
      <dd>{shortText(entry.name, 120)}</dd>
      <dt>Attempts</dt>
      <dd>{entry.attempts}</dd>
      <dt>Started</dt>
      <dd>
        <Time iso={entry.startedAt} />
      </dd>
      <dt>Finished</dt>
      <dd>
        <Time iso={entry.finishedAt} />
      </dd>
      <dt>Took</dt>
      <dd>
        <Duration
          from={entry.startedAt}
          to={entry.finishedAt ?? (entry.state === 'running' ? undefined : entry.startedAt)}
        />
      </dd>
      <dt>Executor</dt>
      <dd>
        {entry.executor}
        {entry.cached ? ', served from the cache' : ''}
      </dd>
      {entry.pod && (
        <>
          <dt>Pod</dt>
          <dd>
            <code>
              {entry.pod.namespace}/{entry.pod.name}
            </code>
          </dd>
        </>
      )}
      {entry.exitCode !== undefined && (
        <>
          <dt>Exit code</dt>
          <dd>{entry.exitCode}</dd>
        </>
      )}
      {entry.reason && (
        <>
          <dt>Why</dt>
          <dd>{shortText(entry.reason, 1000)}</dd>
        </>
      )}
      {run.temporal.ui && (
        <>
          <dt>Temporal</dt>
          <dd>
            <ExternalLink href={run.temporal.ui}>the step in the run&apos;s event history</ExternalLink>
          </dd>
        </>
      )}
    </dl>
  );
}

/** The inputs, resolved where the run document tells their values. */
function InstanceInputs({ inputs }: { inputs: readonly TaskInput[] }) {
  if (!inputs.length) return null;
  return (
    <table className="values">
      <caption>Inputs</caption>
      <tbody>
        {inputs.map((input) => (
          <tr key={input.name}>
            <th scope="row">{input.name}</th>
            <td>
              {input.value !== undefined ? (
                <JsonValue value={input.value} />
              ) : (
                <span className="muted">{shortText(input.source, 200)}</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function TaskInstance({
  run,
  spec,
  entry,
  artifacts,
}: {
  run: RunResource;
  spec: PipelineSpec | undefined;
  entry: TaskStatus;
  artifacts: readonly ListedArtifact[] | undefined;
}) {
  const inputs = spec ? taskInputs(spec, run, entry) : [];
  const own = artifacts?.filter((a) => a.taskId === entry.id && sameIteration(a.iteration, entry.iteration));
  return (
    <div className="task-instance">
      <h3>
        {shortText(entry.displayName, 120)}
        {entry.iteration && <span className="muted"> iteration {entry.iteration.join(', ')}</span>}{' '}
        <StateBadge state={entry.state} />
      </h3>
      <InstanceFacts run={run} entry={entry} />
      {entry.error && (
        // Focusable: a long error scrolls, and a keyboard must be able to scroll it too.
        <pre className="error task-error" role="alert" tabIndex={0}>
          {shortText(entry.error, 4000)}
        </pre>
      )}
      <AttemptList attempts={entry.attemptHistory} />
      <InstanceInputs inputs={inputs} />
      <ValueTable caption="Output parameters" values={entry.outputs.params} />
      <h4>Artifacts</h4>
      {own ? <ArtifactList artifacts={own} showTask={false} /> : <p className="muted">Loading artifacts…</p>}
      <h4>Logs</h4>
      <TaskLog
        runId={run.runId}
        taskId={entry.id}
        attempts={entry.attempts}
        running={entry.state === 'running'}
        {...(entry.iteration ? { iteration: entry.iteration } : {})}
      />
    </div>
  );
}
