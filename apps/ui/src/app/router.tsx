/**
 * The UI's pages, under `/ui/` on the API's origin (whose own routes are `/runs`,
 * `/pipelines`, ...). Pages that draw graphs or charts load on first visit, so
 * the first page load carries neither React Flow nor the chart library. They are
 * the router's lazy routes, not `React.lazy` in a Suspense boundary: the router
 * renders a page once its code is there, while React holds back content that
 * replaces a Suspense fallback for up to 300 ms (its fallback throttling), which
 * the run page would pay on every visit.
 */
import type { ComponentType } from 'react';
import { createBrowserRouter, Navigate } from 'react-router';
import { Loading } from '../components/Loading';
import { PipelinePage } from '../pages/pipelines/PipelinePage';
import { PipelinesPage } from '../pages/pipelines/PipelinesPage';
import { RunsPage } from '../pages/runs/RunsPage';
import { ExperimentsPage } from '../pages/experiments/ExperimentsPage';
import { SchedulePage } from '../pages/schedules/SchedulePage';
import { SchedulesPage } from '../pages/schedules/SchedulesPage';
import { SignInPage } from '../pages/sign-in/SignInPage';
import { Layout } from './Layout';
import { NotFoundPage } from './NotFoundPage';
import { basename } from './paths';

/** A route whose page module (its default export) loads on first visit. */
const lazyPage = (load: () => Promise<{ default: ComponentType }>) => async () => ({
  Component: (await load()).default,
});

export function createAppRouter() {
  return createBrowserRouter(
    [
      { path: '/sign-in', element: <SignInPage /> },
      {
        element: <Layout />,
        // Shown only while a lazy page's code loads on the first page load of the app.
        hydrateFallbackElement: <Loading what="page" />,
        children: [
          { index: true, element: <Navigate to="/runs" replace /> },
          { path: '/pipelines', element: <PipelinesPage /> },
          { path: '/pipelines/:name', element: <PipelinePage /> },
          {
            path: '/pipelines/:name/versions/:version',
            lazy: lazyPage(() => import('../pages/pipelines/PipelineVersionPage')),
          },
          { path: '/runs', element: <RunsPage /> },
          { path: '/runs/:runId', lazy: lazyPage(() => import('../pages/run/RunPage')) },
          { path: '/experiments', element: <ExperimentsPage /> },
          { path: '/experiments/compare', lazy: lazyPage(() => import('../pages/experiments/ComparePage')) },
          { path: '/schedules', element: <SchedulesPage /> },
          { path: '/schedules/:id', element: <SchedulePage /> },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
    { basename },
  );
}
