/** The runs list's filters; they live in the URL's query, so a filtered list can be shared. */
import type { FormEvent } from 'react';
import type { RunState } from '../../api/wire';
import { timeWindowIds, timeWindows, toTimeWindow, type TimeWindow } from './time-window';

export interface RunFilterValues {
  readonly pipeline: string;
  readonly experiment: string;
  readonly status: RunState | '';
  readonly window: TimeWindow;
}

export const runStates: readonly RunState[] = ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'];

export function RunFilters({ values, onApply }: { values: RunFilterValues; onApply: (next: RunFilterValues) => void }) {
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    const status = runStates.find((s) => s === text('status')) ?? '';
    const window = toTimeWindow(text('window'));
    onApply({ pipeline: text('pipeline'), experiment: text('experiment'), status, window });
  };
  return (
    <form className="filters" onSubmit={submit} aria-label="Filter runs">
      <label>
        Pipeline
        <input name="pipeline" defaultValue={values.pipeline} placeholder="any" />
      </label>
      <label>
        Experiment
        <input name="experiment" defaultValue={values.experiment} placeholder="any" />
      </label>
      <label>
        State
        <select name="status" defaultValue={values.status}>
          <option value="">any</option>
          {runStates.map((s) => (
            <option key={s} value={s}>
              {s.toLowerCase()}
            </option>
          ))}
        </select>
      </label>
      <label>
        Started
        <select name="window" defaultValue={values.window}>
          {timeWindowIds.map((w) => (
            <option key={w} value={w}>
              {timeWindows[w].label}
            </option>
          ))}
        </select>
      </label>
      <button type="submit">Apply</button>
    </form>
  );
}
