/**
 * A task attempt's saved log, fetched on request (logs can be large), shown as
 * text; and while the step runs, its live log streamed as it grows, kept
 * scrolled to the end while "Follow" is on.
 */
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { fetchTaskLog, followTaskLog } from '../../api/client';
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

/** The running attempt's log, streamed while this is shown; stops when the attempt ends or the panel closes. */
function LiveLog({ runId, taskId, iteration }: { runId: string; taskId: string; iteration?: readonly number[] }) {
  const [text, setText] = useState('');
  const [status, setStatus] = useState<'following' | 'ended' | Error>('following');
  const [follow, setFollow] = useState(true);
  const pre = useRef<HTMLPreElement>(null);
  const iterationKey = iteration?.join(',');
  useEffect(() => {
    const controller = new AbortController();
    const indices = iterationKey ? iterationKey.split(',').map(Number) : undefined;
    followTaskLog(
      runId,
      taskId,
      indices ? { iteration: indices } : {},
      (chunk) => setText((before) => (before + chunk).slice(-maxShownChars)),
      controller.signal,
    ).then(
      () => setStatus('ended'),
      (error: unknown) => {
        if (!controller.signal.aborted) setStatus(error instanceof Error ? error : new Error(String(error)));
      },
    );
    return () => controller.abort();
  }, [runId, taskId, iterationKey]);
  useEffect(() => {
    if (follow && pre.current) pre.current.scrollTop = pre.current.scrollHeight;
  }, [text, follow]);
  return (
    <div className="live-log">
      <p>
        Live log{' '}
        <span className="muted" role="status">
          {status === 'following' ? '(streaming)' : status === 'ended' ? '(the attempt ended)' : ''}
        </span>{' '}
        <label>
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> Follow
        </label>
      </p>
      {status instanceof Error && <ErrorMessage error={status} what="the live log" />}
      <pre className="log" ref={pre} tabIndex={0} aria-label="Live log">
        {text}
      </pre>
    </div>
  );
}

export function TaskLog({
  runId,
  taskId,
  attempts,
  running,
  iteration,
}: {
  runId: string;
  taskId: string;
  attempts: number;
  running: boolean;
  iteration?: readonly number[];
}) {
  const [attempt, setAttempt] = useState<number>();
  if (attempts < 1) return <p className="muted">No attempt, so no log.</p>;
  return (
    <div className="task-log">
      {running && <LiveLog runId={runId} taskId={taskId} {...(iteration ? { iteration } : {})} />}
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
