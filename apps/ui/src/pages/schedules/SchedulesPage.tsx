/** Schedules: their pipeline, next run times, state, and pause / resume / trigger. */
import { useState } from 'react';
import { Link } from 'react-router';
import { useSchedules } from '../../api/queries';
import { QueryView } from '../../components/QueryView';
import { Time } from '../../components/Time';
import { ScheduleActions } from './ScheduleActions';

export function SchedulesPage() {
  const [tokens, setTokens] = useState<readonly (string | undefined)[]>([undefined]);
  const schedules = useSchedules(tokens[tokens.length - 1]);
  return (
    <section>
      <h1>Schedules</h1>
      <QueryView query={schedules} what="schedules">
        {(page) =>
          page.schedules.length === 0 ? (
            <p className="muted">No schedules.</p>
          ) : (
            <>
              <table className="list">
                <thead>
                  <tr>
                    <th scope="col">Schedule</th>
                    <th scope="col">Pipeline</th>
                    <th scope="col">State</th>
                    <th scope="col">Next runs</th>
                    <th scope="col">Actions</th>
                  </tr>
                </thead>
                <tbody>
                  {page.schedules.map((s) => (
                    <tr key={s.id}>
                      <td>
                        <Link to={`/schedules/${encodeURIComponent(s.id)}`}>{s.id}</Link>
                      </td>
                      <td>
                        {s.pipeline ? `${s.pipeline.name}${s.pipeline.version ? ` ${s.pipeline.version}` : ''}` : '—'}
                      </td>
                      <td>{s.paused ? 'paused' : 'active'}</td>
                      <td>
                        <ul className="times">
                          {s.nextRunTimes.slice(0, 3).map((t) => (
                            <li key={t}>
                              <Time iso={t} />
                            </li>
                          ))}
                        </ul>
                      </td>
                      <td>
                        <ScheduleActions id={s.id} paused={s.paused} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <nav className="pager" aria-label="Pages of schedules">
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
          )
        }
      </QueryView>
    </section>
  );
}
