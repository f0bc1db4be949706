/** An error as the user should read it: the API's message and code, as text. */
import { ApiError } from '../api/errors';

export function ErrorMessage({ error, what }: { error: unknown; what: string }) {
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof ApiError ? ` (${error.code}${error.status ? `, HTTP ${error.status}` : ''})` : '';
  return (
    <div className="error" role="alert">
      <strong>Could not load {what}</strong>
      {code}: {message}
    </div>
  );
}
