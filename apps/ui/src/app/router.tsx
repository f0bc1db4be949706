/**
 * The UI's pages, under `/ui/` on the API's origin (whose own routes are `/runs`,
 * `/pipelines`, ...). Pages that draw graphs or charts load on first visit, so
 * the first page load carries neither React Flow nor the chart library.
 */
import { lazy } from 'react';
import { createBrowserRouter, Navigate } from 'react-router';
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

const PipelineVersionPage = lazy(() => import('../pages/pipelines/PipelineVersionPage'));
const RunPage = lazy(() => import('../pages/run/RunPage'));
const ComparePage = lazy(() => import('../pages/experiments/ComparePage'));

export function createAppRouter() {
  return createBrowserRouter(
    [
      { path: '/sign-in', element: <SignInPage /> },
      {
        element: <Layout />,
        children: [
          { index: true, element: <Navigate to="/runs" replace /> },
          { path: '/pipelines', element: <PipelinesPage /> },
          { path: '/pipelines/:name', element: <PipelinePage /> },
          { path: '/pipelines/:name/versions/:version', element: <PipelineVersionPage /> },
          { path: '/runs', element: <RunsPage /> },
          { path: '/runs/:runId', element: <RunPage /> },
          { path: '/experiments', element: <ExperimentsPage /> },
          { path: '/experiments/compare', element: <ComparePage /> },
          { path: '/schedules', element: <SchedulesPage /> },
          { path: '/schedules/:id', element: <SchedulePage /> },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
    { basename },
  );
}
