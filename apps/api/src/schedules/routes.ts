/** `/schedules`: Temporal Schedules that start runs. */
import { apiRoutes } from '@kiln/api-contract';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ApiDeps } from '../deps';
import { routeOptions } from '../route-options';
import {
  backfillSchedule,
  createSchedule,
  getSchedule,
  listSchedules,
  pauseSchedule,
  triggerSchedule,
} from './service';

/**
 * @example
 * ```ts
 * await app.register(scheduleRoutes(deps));
 * ```
 */
export function scheduleRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  const who = (request: { principal?: { name: string } }) => request.principal?.name ?? 'anonymous';
  return async (app) => {
    app.route({
      ...routeOptions(apiRoutes.createSchedule),
      bodyLimit: 64 * 1024 + deps.limits.paramsBytes,
      handler: async (request, reply) => {
        const created = await createSchedule(deps, request.body, who(request));
        return reply.status(201).header('location', `/schedules/${created.id}`).send(created);
      },
    });
    app.route({
      ...routeOptions(apiRoutes.listSchedules),
      handler: async (request) => listSchedules(deps, request.query.pageSize, request.query.pageToken),
    });
    app.route({
      ...routeOptions(apiRoutes.getSchedule),
      handler: async (request) => getSchedule(deps, request.params.id),
    });
    app.route({
      ...routeOptions(apiRoutes.pauseSchedule),
      handler: async (request) =>
        pauseSchedule(deps, request.params.id, true, request.body?.note ?? `paused by ${who(request)}`),
    });
    app.route({
      ...routeOptions(apiRoutes.resumeSchedule),
      handler: async (request) =>
        pauseSchedule(deps, request.params.id, false, request.body?.note ?? `resumed by ${who(request)}`),
    });
    app.route({
      ...routeOptions(apiRoutes.triggerSchedule),
      handler: async (request, reply) =>
        reply.status(202).send(await triggerSchedule(deps, request.params.id, request.body?.overlap ?? 'ALLOW_ALL')),
    });
    app.route({
      ...routeOptions(apiRoutes.backfillSchedule),
      handler: async (request, reply) =>
        reply.status(202).send(await backfillSchedule(deps, request.params.id, request.body)),
    });
    app.route({
      ...routeOptions(apiRoutes.deleteSchedule),
      handler: async (request, reply) => {
        await deps.client.schedule.getHandle(request.params.id).delete();
        return reply.status(204).send();
      },
    });
  };
}
