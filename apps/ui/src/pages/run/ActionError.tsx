/** A failed run action as the API said it: `{ error: { code, message } }` with the HTTP status, as text. */
import { ApiError } from '../../api/errors';

export function ActionError({ error, action }: { error: unknown; action: string }) {
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof ApiError ? ` (${error.code}${error.status ? `, HTTP ${error.status}` : ''})` : '';
  return (
    <div className="error" role="alert">
      <strong>Could not {action}</strong>
      {code}: {message}
    </div>
  );
}
