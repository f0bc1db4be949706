/** Providers and the router. */
import { QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { RouterProvider } from 'react-router';
import { createQueryClient } from './query-client';
import { signInPath } from './paths';
import { createAppRouter } from './router';

export function App() {
  const [{ router, queryClient }] = useState(() => {
    const appRouter = createAppRouter();
    const client = createQueryClient(() => {
      const here = appRouter.state.location;
      if (here.pathname !== '/sign-in') void appRouter.navigate(signInPath(here.pathname + here.search));
    });
    return { router: appRouter, queryClient: client };
  });
  return (
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  );
}
