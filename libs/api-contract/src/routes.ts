/** Every route of the Kiln HTTP API, by name: what the server registers and the client calls. */
import { authRoutes } from './auth';
import { healthRoutes } from './health';
import { pipelineRoutes } from './pipelines';
import { runInsightRoutes } from './run-insights';
import { runOutputRoutes } from './run-outputs';
import { runRoutes } from './runs';
import { scheduleRoutes } from './schedules';

/**
 * The route table.
 *
 * @example
 * ```ts
 * const { method, path, access } = apiRoutes.cancelRun; // 'POST', '/runs/:runId/cancel', 'operator'
 * ```
 */
export const apiRoutes = {
  ...pipelineRoutes,
  ...runRoutes,
  ...runOutputRoutes,
  ...runInsightRoutes,
  ...scheduleRoutes,
  ...healthRoutes,
  ...authRoutes,
};

export type ApiRoutes = typeof apiRoutes;
export type ApiRouteName = keyof ApiRoutes;
