/** `GET /auth/whoami`: the caller's token name and role, so a client shows only the actions the role allows. */
import { apiRoutes } from '@kiln/api-contract';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ApiDeps } from '../deps';
import { ApiError } from '../errors';
import { routeOptions } from '../route-options';

/**
 * @example
 * ```ts
 * await app.register(authRoutes(deps));
 * ```
 */
export function authRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.route({
      ...routeOptions(apiRoutes.whoami),
      handler: async (request) => {
        // The auth hook sets the principal before any handler of a non-public route runs.
        const principal = request.principal;
        if (!principal)
          throw new ApiError(401, 'unauthorized', 'missing bearer token: send "Authorization: Bearer <token>"');
        return { name: principal.name, role: principal.role, inlineSpecRole: deps.inlineSpecRole ?? 'admin' };
      },
    });
  };
}
