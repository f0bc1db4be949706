/**
 * Sign-in with an API token (`kiln_...`, made with apps/api's hash-token). The
 * token is checked with one request and then kept in sessionStorage; the form
 * posts nowhere, so the token never lands in a URL or a server log.
 */
import { useState, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { listRuns } from '../../api/client';
import { ApiError } from '../../api/errors';
import { clearToken, saveToken } from '../../api/token';
import { safeNext } from '../../app/paths';

export function SignInPage() {
  const [token, setToken] = useState('');
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [params] = useSearchParams();
  const navigate = useNavigate();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!token.trim()) return setProblem('Enter your API token.');
    setBusy(true);
    setProblem(undefined);
    saveToken(token);
    try {
      await listRuns({}, { pageSize: 1 });
      void navigate(safeNext(params.get('next')), { replace: true });
    } catch (error) {
      clearToken();
      setProblem(
        error instanceof ApiError && error.status === 401
          ? 'The API does not know this token.'
          : `The API could not be reached: ${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="sign-in">
      <h1>Kiln</h1>
      <form onSubmit={(e) => void submit(e)} aria-describedby="sign-in-help">
        <label htmlFor="token">API token</label>
        <input
          id="token"
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={token}
          onChange={(e) => setToken(e.target.value)}
        />
        <p id="sign-in-help" className="muted">
          Kept in this tab only (sessionStorage) and sent as a bearer token to the API.
        </p>
        {problem && (
          <p className="error" role="alert">
            {problem}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
