/**
 * A task attempt's saved log, fetched on request (logs can be large), shown as
 * text. The live follow of a running step comes with the next stage's stream.
 */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { fetchTaskLog } from '../../api/client';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';

/** The end of a log is what explains a failure; at most this much is shown. */
const maxShownChars = 200_000;

function LogText({
  runId,
  taskId,
  attempt,
  iteration,
}: {
  runId: string;
  taskId: string;
  attempt: number;
  iteration?: readonly number[];
}) {
  const log = useQuery({
    queryKey: ['runs', runId, 'log', taskId, attempt, iteration?.join(',') ?? ''],
    queryFn: () => fetchTaskLog(runId, taskId, { attempt, ...(iteration ? { iteration } : {}) }),
    retry: false,
  });
  if (log.isPending) return <Loading what="the log" />;
  if (log.isError) return <ErrorMessage error={log.error} what="the log" />;
  const text = log.data.text;
  const cut = text.length > maxShownChars;
  return (
    <>
      {cut && <p className="muted">Showing the last {maxShownChars.toLocaleString('en')} characters.</p>}
      <pre className="log" tabIndex={0} aria-label={`Log of attempt ${log.data.attempt}`}>
        {cut ? text.slice(-maxShownChars) : text}
      </pre>
    </>
  );
}

export function TaskLog({
  runId,
  taskId,
  attempts,
  iteration,
}: {
  runId: string;
  taskId: string;
  attempts: number;
  iteration?: readonly number[];
}) {
  const [attempt, setAttempt] = useState<number>();
  if (attempts < 1) return <p className="muted">No attempt, so no log.</p>;
  return (
    <div className="task-log">
      <p>
        Saved log of attempt{' '}
        {Array.from({ length: attempts }, (_, i) => i + 1).map((n) => (
          <button key={n} type="button" aria-pressed={attempt === n} onClick={() => setAttempt(n)}>
            {n}
          </button>
        ))}
      </p>
      {attempt !== undefined && (
        <LogText runId={runId} taskId={taskId} attempt={attempt} {...(iteration ? { iteration } : {})} />
      )}
    </div>
  );
}
