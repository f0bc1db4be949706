/**
 * A route of `@kiln/api-contract` as fastify registers it: method, path, the
 * role it needs (read by the auth hook), and its schemas (validation, response
 * checks and the OpenAPI document, whose operation ids are the route table's
 * names). Handlers are typed from the same schemas.
 */
import { apiRoutes, errorResponsesOf, type ApiRoute, type Role } from '@kiln/api-contract';

/** What fastify takes for a route of the contract (all but the handler). */
export interface ContractRouteOptions<R extends ApiRoute> {
  method: R['method'];
  url: R['path'];
  config: { role?: Role; public?: boolean };
  schema: {
    operationId: string;
    tags: string[];
    summary: string;
    description?: string;
    consumes?: readonly string[];
    security?: [];
    params: R['params'];
    querystring: R['query'];
    body: R['body'];
    /** Typed with the successes only, so a handler's answer is checked against them; errors are thrown as `ApiError`s. */
    response: R['responses'];
  };
}

const routeNames = new Map<ApiRoute, string>(Object.entries(apiRoutes).map(([name, route]) => [route, name]));

/**
 * @example
 * ```ts
 * app.route({ ...routeOptions(apiRoutes.getRun), handler: async (request) => getRun(deps, request.params.runId) });
 * ```
 */
export function routeOptions<R extends ApiRoute>(route: R): ContractRouteOptions<R> {
  const name = routeNames.get(route);
  if (!name) throw new Error(`${route.method} ${route.path} is not a route of @kiln/api-contract's apiRoutes`);
  return {
    method: route.method,
    url: route.path,
    config: route.access === 'public' ? { public: true } : { role: route.access },
    schema: withoutUndefinedParts({
      operationId: name,
      tags: [route.tag],
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      ...(route.consumes ? { consumes: route.consumes } : {}),
      // Public routes need no token: the document says so.
      ...(route.access === 'public' ? { security: [] } : {}),
      params: route.params,
      querystring: route.query,
      body: route.body,
      // Error bodies are documented and serialized by status too.
      response: { ...errorResponsesOf(route), ...route.responses },
    }),
  };
}

/**
 * Drops the request parts a route does not have (`params: undefined`): fastify
 * warns about a part set to undefined, and an absent one reads the same.
 */
function withoutUndefinedParts<T extends object>(schema: T): T {
  for (const [key, value] of Object.entries(schema)) if (value === undefined) Reflect.deleteProperty(schema, key);
  return schema;
}
