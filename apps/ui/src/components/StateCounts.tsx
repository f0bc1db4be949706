/** Task instances per state: the summary of a big run or a loop, as chips and a proportional bar. */
import { taskStates, totalOf, type StateCounts as Counts } from '../graph/state-counts';

const number = new Intl.NumberFormat('en');

export function StateCounts({ counts, label }: { counts: Counts; label: string }) {
  const present = taskStates.filter((state) => counts[state] > 0);
  if (!present.length) return <span className="muted">no tasks yet</span>;
  return (
    <ul className="state-counts" aria-label={label}>
      {present.map((state) => (
        <li key={state} className={`state-chip state-${state}`}>
          <span className="count">{number.format(counts[state])}</span> {state}
        </li>
      ))}
    </ul>
  );
}

export function StateBar({ counts }: { counts: Counts }) {
  const total = totalOf(counts);
  if (!total) return null;
  return (
    <div className="state-bar" aria-hidden="true">
      {taskStates
        .filter((state) => counts[state] > 0)
        .map((state) => (
          <span key={state} className={`state-bar-part state-${state}`} style={{ flexGrow: counts[state] }} />
        ))}
    </div>
  );
}
