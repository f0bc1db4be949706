/** What the web UI reads besides runs: loop iterations, metrics of many runs, run events, experiments. */
import { apiRoutes } from '@kiln/api-contract';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ApiDeps } from '../deps';
import { routeOptions } from '../route-options';
import { getRun } from '../runs/get';
import { BatchStatusReader } from './batch-status';
import { streamRunEvents } from './events';
import { listExperiments } from './experiments';
import { listIterations } from './iterations';
import { runsMetrics } from './metrics';

/** Test hook: how often a run's event stream reads the run (default 1 s). */
export interface InsightOptions {
  eventIntervalMs?: number;
}

/**
 * @example
 * ```ts
 * await app.register(insightRoutes(deps));
 * ```
 */
export function insightRoutes(deps: ApiDeps, options: InsightOptions = {}): FastifyPluginAsyncZod {
  const batches = new BatchStatusReader(deps.client);
  return async (app) => {
    app.route({
      ...routeOptions(apiRoutes.listLoopIterations),
      handler: async (request) =>
        listIterations(deps, batches, {
          ...request.params,
          pageSize: request.query.pageSize,
          ...(request.query.state ? { state: request.query.state } : {}),
          ...(request.query.pageToken ? { pageToken: request.query.pageToken } : {}),
        }),
    });
    app.route({
      ...routeOptions(apiRoutes.getRunsMetrics),
      handler: async (request) => runsMetrics(deps, request.query.runIds),
    });
    app.route({
      ...routeOptions(apiRoutes.listExperiments),
      handler: async (request) =>
        listExperiments(deps, request.query.pipeline ? { pipeline: request.query.pipeline } : {}),
    });
    app.route({
      ...routeOptions(apiRoutes.streamRunEvents),
      handler: async (request, reply) => {
        // Read once before answering: a missing run is a 404 with the JSON error body.
        const first = await getRun(deps, request.params.runId);
        const abort = new AbortController();
        reply.raw.once('close', () => abort.abort());
        reply.hijack();
        reply.raw.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-store',
          // A proxy that buffers would hold events back until the run ends.
          'x-accel-buffering': 'no',
          connection: 'keep-alive',
        });
        try {
          await streamRunEvents(deps, first, reply.raw, {
            runId: request.params.runId,
            waitMs: request.query.waitSeconds * 1000,
            signal: abort.signal,
            ...(options.eventIntervalMs ? { intervalMs: options.eventIntervalMs } : {}),
          });
        } catch (error) {
          request.log.warn({ err: error, runId: request.params.runId }, 'run event stream failed');
          if (!reply.raw.writableEnded) reply.raw.end();
        }
      },
    });
  };
}
