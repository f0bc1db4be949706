/** `/runs`: create, list, get, cancel, retry (logs and artifacts: `output-routes.ts`). */
import { apiRoutes } from '@kiln/api-contract';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ApiDeps } from '../deps';
import { routeOptions } from '../route-options';
import { cancelRun, retryRun } from './control';
import { getRun } from './get';
import { listRuns } from './list';
import { checkInlineSpecRole, createRun } from './start';

/**
 * @example
 * ```ts
 * await app.register(runRoutes(deps));
 * ```
 */
export function runRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.route({
      ...routeOptions(apiRoutes.createRun),
      bodyLimit: deps.limits.pipelineBytes + deps.limits.paramsBytes,
      handler: async (request, reply) => {
        if (request.body.spec !== undefined) checkInlineSpecRole(deps, request.principal);
        const started = await createRun(deps, request.body, request.principal?.name ?? 'anonymous');
        return reply.status(201).header('location', `/runs/${started.runId}`).send(started);
      },
    });
    app.route({
      ...routeOptions(apiRoutes.listRuns),
      handler: async (request) => {
        const { pipeline, digest, experiment, status, startedAfter, startedBefore, pageSize, pageToken } =
          request.query;
        return listRuns(deps, {
          pageSize,
          ...(pipeline ? { pipeline } : {}),
          ...(digest ? { digest } : {}),
          ...(experiment ? { experiment } : {}),
          ...(status ? { status } : {}),
          ...(startedAfter ? { startedAfter } : {}),
          ...(startedBefore ? { startedBefore } : {}),
          ...(pageToken ? { pageToken } : {}),
        });
      },
    });
    app.route({
      ...routeOptions(apiRoutes.getRun),
      handler: async (request) => getRun(deps, request.params.runId),
    });
    app.route({
      ...routeOptions(apiRoutes.cancelRun),
      handler: async (request, reply) => reply.status(202).send(await cancelRun(deps, request.params.runId)),
    });
    app.route({
      ...routeOptions(apiRoutes.retryRun),
      handler: async (request, reply) => {
        const result = await retryRun(deps, request.params.runId, request.principal?.name ?? 'anonymous');
        return reply.status(201).header('location', `/runs/${result.runId}`).send(result);
      },
    });
  };
}
