/** What the web UI reads besides runs: loop iterations, metrics of many runs, run events, experiments. */
import { apiRoutes } from '@kiln/api-contract';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ApiDeps } from '../deps';
import { routeOptions } from '../route-options';
import { getRun } from '../runs/get';
import { BatchStatusReader } from './batch-status';
import { streamRunEvents } from './events';
import { SharedRunReads } from './shared-run-reads';
import { defaultEventStreams, defaultEventStreamsPerToken, StreamSlots } from './stream-slots';
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
  const eventIntervalMs = options.eventIntervalMs ?? 1000;
  // A read younger than most of a tick answers every stream of that run.
  const runReads = new SharedRunReads((runId) => getRun(deps, runId), eventIntervalMs * 0.9);
  const slots = new StreamSlots({
    total: deps.limits.eventStreams ?? defaultEventStreams,
    perToken: deps.limits.eventStreamsPerToken ?? defaultEventStreamsPerToken,
  });
  return async (app) => {
    app.route({
      ...routeOptions(apiRoutes.listLoopIterations),
      handler: async (request) =>
        listIterations((runId, fresh) => (fresh ? runReads.readFresh(runId) : runReads.read(runId)), batches, {
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
        // A slot, then one read before answering: over a cap is a 429, a missing run a 404, both JSON error bodies.
        const release = slots.acquire(request.principal?.name ?? 'anonymous');
        // Listen before the first read: a client gone while it runs must still give its slot back.
        const abort = new AbortController();
        reply.raw.once('close', () => {
          release();
          abort.abort();
        });
        let first;
        try {
          first = await runReads.read(request.params.runId);
        } catch (error) {
          release();
          throw error;
        }
        if (abort.signal.aborted) {
          reply.hijack();
          reply.raw.end();
          return;
        }
        reply.hijack();
        reply.raw.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-store',
          // A proxy that buffers would hold events back until the run ends.
          'x-accel-buffering': 'no',
          connection: 'keep-alive',
        });
        try {
          await streamRunEvents(first, reply.raw, {
            runId: request.params.runId,
            readRun: (runId) => runReads.read(runId),
            waitMs: request.query.waitSeconds * 1000,
            signal: abort.signal,
            intervalMs: eventIntervalMs,
          });
        } catch (error) {
          request.log.warn({ err: error, runId: request.params.runId }, 'run event stream failed');
          if (!reply.raw.writableEnded) reply.raw.end();
        }
      },
    });
  };
}
