/**
 * The query cache. A 401 anywhere means the token is gone or wrong: it is
 * dropped and the user is sent to sign in again, back to where they were after.
 */
import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError } from '../api/errors';
import { clearToken } from '../api/token';

export function createQueryClient(onSignInNeeded: () => void): QueryClient {
  const onError = (error: Error) => {
    if (error instanceof ApiError && error.signInNeeded) {
      clearToken();
      onSignInNeeded();
    }
  };
  return new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        // A 4xx will not change by asking again; a network error or 5xx may.
        retry: (count, error) => count < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
        refetchOnWindowFocus: false,
      },
    },
  });
}
