/** Pause, resume and trigger-now for one schedule; the API refuses them to viewer tokens (403, shown). */
import { useScheduleAction } from '../../api/queries';
import { ErrorMessage } from '../../components/ErrorMessage';

export function ScheduleActions({ id, paused }: { id: string; paused: boolean }) {
  const action = useScheduleAction(id);
  return (
    <span className="actions">
      <button type="button" disabled={action.isPending} onClick={() => action.mutate(paused ? 'resume' : 'pause')}>
        {paused ? 'Resume' : 'Pause'}
      </button>
      <button type="button" disabled={action.isPending} onClick={() => action.mutate('trigger')}>
        Trigger now
      </button>
      {action.isSuccess && action.variables === 'trigger' && <span role="status"> Run started.</span>}
      {action.isError && <ErrorMessage error={action.error} what={`${action.variables} ${id}`} />}
    </span>
  );
}
