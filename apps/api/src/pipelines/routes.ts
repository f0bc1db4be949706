/** `/pipelines`: upload IR (or KFP pipeline YAML, translated), list, get by name / version / digest, delete. */
import { apiRoutes, irMediaTypes } from '@kiln/api-contract';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ApiDeps } from '../deps';
import { routeOptions } from '../route-options';
import { specOfUpload } from './kfp-upload';

/**
 * Uploads are read as text: KFP pipeline YAML is translated (kfp-upload.ts),
 * anything else parsed by the IR library, which rejects duplicate keys and
 * reports YAML/JSON syntax errors with line and column.
 */
function uploadRoute(deps: ApiDeps): FastifyPluginAsyncZod {
  const limit = deps.limits.pipelineBytes;
  return async (plain) => {
    const scope = plain.withTypeProvider<ZodTypeProvider>();
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(irMediaTypes, { parseAs: 'string', bodyLimit: limit }, (_req, body, done) =>
      done(null, body),
    );
    const options = routeOptions(apiRoutes.uploadPipeline);
    scope.route({
      ...options,
      schema: { ...options.schema, description: `${options.schema.description ?? ''} At most ${limit} bytes.` },
      bodyLimit: limit,
      handler: async (request, reply) => {
        const spec = specOfUpload(request.body, deps.limits.input);
        const { version, created } = await deps.registry.upload(spec, {
          createdBy: request.principal?.name ?? 'anonymous',
          ...(request.query.version ? { version: request.query.version } : {}),
          ...(request.query.description ? { description: request.query.description } : {}),
        });
        return reply.status(created ? 201 : 200).send({ ...version, created });
      },
    });
  };
}

/**
 * @example
 * ```ts
 * await app.register(pipelineRoutes(deps));
 * ```
 */
export function pipelineRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  const { registry } = deps;
  return async (app) => {
    await app.register(uploadRoute(deps));
    app.route({
      ...routeOptions(apiRoutes.listPipelines),
      handler: async () => ({ pipelines: await registry.list() }),
    });
    app.route({
      ...routeOptions(apiRoutes.getPipeline),
      handler: async (request) => {
        const { name } = request.params;
        return { name, latest: await registry.latest(name), versions: await registry.versions(name) };
      },
    });
    app.route({
      ...routeOptions(apiRoutes.getPipelineVersion),
      handler: async (request) => {
        const version = await registry.version(request.params.name, request.params.version);
        return { ...version, spec: await registry.spec(version.name, version.digest) };
      },
    });
    app.route({
      ...routeOptions(apiRoutes.getPipelineByDigest),
      handler: async (request) => {
        const { name, digest } = request.params;
        return { name, digest, spec: await registry.spec(name, digest) };
      },
    });
    app.route({
      ...routeOptions(apiRoutes.deletePipeline),
      handler: async (request, reply) => {
        await registry.deletePipeline(request.params.name);
        return reply.status(204).send();
      },
    });
    app.route({
      ...routeOptions(apiRoutes.deletePipelineVersion),
      handler: async (request, reply) => {
        await registry.deleteVersion(request.params.name, request.params.version);
        return reply.status(204).send();
      },
    });
  };
}
