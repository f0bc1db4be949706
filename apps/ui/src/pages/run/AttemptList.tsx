/** Every attempt of a task instance as it happened (the status document's `attemptHistory`), oldest first. */
import type { TaskStatus } from '@kiln/engine-contract';
import { shortText } from '../../components/JsonValue';
import { StateBadge } from '../../components/StateBadge';
import { Duration, Time } from '../../components/Time';

type AttemptRecord = NonNullable<TaskStatus['attemptHistory']>[number];

function Failure({ attempt }: { attempt: AttemptRecord }) {
  if (!attempt.failureClass && !attempt.reason && !attempt.error) return <span className="muted">—</span>;
  return (
    <>
      {attempt.failureClass && <strong>{attempt.failureClass}</strong>}
      {attempt.reason && <> {shortText(attempt.reason, 200)}</>}
      {attempt.error && <div className="muted">{shortText(attempt.error, 400)}</div>}
    </>
  );
}

export function AttemptList({ attempts }: { attempts: readonly AttemptRecord[] | undefined }) {
  if (!attempts?.length) return <p className="muted">No attempt recorded.</p>;
  return (
    <table className="values attempts">
      <caption>Attempts</caption>
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">State</th>
          <th scope="col">Started</th>
          <th scope="col">Finished</th>
          <th scope="col">Took</th>
          <th scope="col">Failure</th>
          <th scope="col">Exit code</th>
          <th scope="col">Pod</th>
        </tr>
      </thead>
      <tbody>
        {attempts.map((attempt) => (
          <tr key={attempt.attempt}>
            <th scope="row">
              {attempt.attempt}
              {attempt.tries !== undefined && attempt.tries > 1 && (
                <span className="muted"> ({attempt.tries} tries)</span>
              )}
            </th>
            <td>
              <StateBadge state={attempt.state} />
            </td>
            <td>
              <Time iso={attempt.startedAt} />
            </td>
            <td>
              <Time iso={attempt.finishedAt} />
            </td>
            <td>
              <Duration from={attempt.startedAt} to={attempt.finishedAt} />
            </td>
            <td>
              <Failure attempt={attempt} />
            </td>
            <td>{attempt.exitCode ?? <span className="muted">—</span>}</td>
            <td>
              {attempt.pod ? (
                <code>
                  {attempt.pod.namespace}/{attempt.pod.name}
                </code>
              ) : (
                <span className="muted">—</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
