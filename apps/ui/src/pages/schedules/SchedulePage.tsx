/** One schedule: its spec, policies, counters, next and recent runs, and its actions. */
import { Link, useParams } from 'react-router';
import { useSchedule } from '../../api/queries';
import { shortText, ValueTable } from '../../components/JsonValue';
import { QueryView } from '../../components/QueryView';
import { Time } from '../../components/Time';
import { ScheduleActions } from './ScheduleActions';

export function SchedulePage() {
  const id = useParams().id ?? '';
  const schedule = useSchedule(id);
  return (
    <section>
      <p className="breadcrumbs">
        <Link to="/schedules">Schedules</Link> /
      </p>
      <h1>{id}</h1>
      <QueryView query={schedule} what={`schedule ${id}`}>
        {(s) => (
          <>
            <p>
              {s.paused ? 'Paused' : 'Active'}
              {s.note ? `: ${shortText(s.note, 300)}` : ''} <ScheduleActions id={s.id} paused={s.paused} />
            </p>
            <dl className="facts">
              <dt>Pipeline</dt>
              <dd>{s.pipeline ? `${s.pipeline.name} ${s.pipeline.version ?? s.pipeline.digest.slice(0, 19)}` : '—'}</dd>
              <dt>When</dt>
              <dd>
                {s.cron ? `cron ${s.cron.join(' | ')}` : s.interval ? `every ${s.interval.every}` : '—'} ({s.timezone})
              </dd>
              <dt>Overlap</dt>
              <dd>{s.overlap}</dd>
              <dt>Catch-up window</dt>
              <dd>{s.catchupWindowSeconds} s</dd>
              <dt>Runs started</dt>
              <dd>
                {s.actionsTaken} ({s.actionsSkippedOverlap} skipped for overlap, {s.actionsMissedCatchupWindow} missed)
              </dd>
              {s.experiment && (
                <>
                  <dt>Experiment</dt>
                  <dd>{s.experiment}</dd>
                </>
              )}
            </dl>
            {s.params && <ValueTable caption="Parameters" values={s.params} />}
            <h2>Next runs</h2>
            <ul className="times">
              {s.nextRunTimes.map((t) => (
                <li key={t}>
                  <Time iso={t} />
                </li>
              ))}
            </ul>
            <h2>Recent runs</h2>
            {s.recentRuns.length === 0 ? (
              <p className="muted">None yet.</p>
            ) : (
              <ul>
                {[...s.recentRuns].reverse().map((r) => (
                  <li key={r.runId}>
                    <Link to={`/runs/${encodeURIComponent(r.runId)}`}>{r.runId}</Link> scheduled for{' '}
                    <Time iso={r.scheduledAt} />
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
      </QueryView>
    </section>
  );
}
