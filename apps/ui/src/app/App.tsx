/** Providers and the router. */
import { QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { RouterProvider } from 'react-router';
import { createQueryClient } from './query-client';
import { appPath, signInPath } from './paths';
import { createAppRouter } from './router';

export function App() {
  const [{ router, queryClient }] = useState(() => {
    const appRouter = createAppRouter();
    const client = createQueryClient(() => {
      // The data router's own location carries the basename; its navigate() adds it again.
      const here = appRouter.state.location;
      const path = appPath(here.pathname);
      if (path !== '/sign-in') void appRouter.navigate(signInPath(path + here.search));
    });
    return { router: appRouter, queryClient: client };
  });
  return (
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  );
}
