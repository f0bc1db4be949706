/** `/pipelines`: upload IR, list, get by name / version / digest, delete. */
import { parseSpec } from '@kiln/ir';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiDeps } from '../deps';
import { digest, pipelineName, versionLabel } from '../schemas';
import { invalidPipeline } from './ir-errors';

const irMediaTypes = ['application/json', 'application/yaml', 'application/x-yaml', 'text/yaml', 'text/plain'];

/**
 * @example
 * ```ts
 * await app.register(pipelineRoutes(deps));
 * ```
 */
export function pipelineRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  const { registry } = deps;
  return async (app) => {
    // Uploads are read as text and parsed by the IR library, which rejects duplicate
    // keys and reports YAML/JSON syntax errors with line and column.
    await app.register(async (plain) => {
      const scope = plain.withTypeProvider<ZodTypeProvider>();
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser(
        irMediaTypes,
        { parseAs: 'string', bodyLimit: deps.limits.pipelineBytes },
        (_req, body, done) => done(null, body),
      );
      scope.post(
        '/pipelines',
        {
          config: { role: 'admin' },
          bodyLimit: deps.limits.pipelineBytes,
          schema: {
            tags: ['pipelines'],
            summary: 'Upload a pipeline version (IR as JSON or YAML)',
            description: `Validates the IR and stores it under its sha256 digest. Re-uploading the same IR is a no-op (200); a version label that already names other IR is a 409. At most ${deps.limits.pipelineBytes} bytes.`,
            querystring: z.strictObject({
              version: versionLabel
                .optional()
                .describe('Version label; default: the next number, or the existing version of the same IR'),
              description: z.string().max(1000).optional(),
            }),
            body: z
              .string()
              .describe('The pipeline IR, JSON or YAML (Content-Type application/json or application/yaml)'),
          },
        },
        async (request, reply) => {
          const parsed = parseSpec(request.body);
          if (!parsed.ok) throw invalidPipeline(parsed.errors);
          const { version, created } = await registry.upload(parsed.spec, {
            createdBy: request.principal?.name ?? 'anonymous',
            ...(request.query.version ? { version: request.query.version } : {}),
            ...(request.query.description ? { description: request.query.description } : {}),
          });
          return reply.status(created ? 201 : 200).send({ ...version, created });
        },
      );
    });

    app.get(
      '/pipelines',
      {
        schema: { tags: ['pipelines'], summary: 'List pipelines with their latest version' },
      },
      async () => ({ pipelines: await registry.list() }),
    );

    app.get(
      '/pipelines/:name',
      {
        schema: {
          tags: ['pipelines'],
          summary: 'A pipeline and its versions',
          params: z.strictObject({ name: pipelineName }),
        },
      },
      async (request) => {
        const latest = await registry.latest(request.params.name);
        return { name: request.params.name, latest, versions: await registry.versions(request.params.name) };
      },
    );

    app.get(
      '/pipelines/:name/versions/:version',
      {
        schema: {
          tags: ['pipelines'],
          summary: 'One version, with its IR',
          params: z.strictObject({ name: pipelineName, version: versionLabel }),
        },
      },
      async (request) => {
        const version = await registry.version(request.params.name, request.params.version);
        return { ...version, spec: await registry.spec(version.name, version.digest) };
      },
    );

    app.get(
      '/pipelines/:name/digests/:digest',
      {
        schema: {
          tags: ['pipelines'],
          summary: 'IR by digest',
          params: z.strictObject({ name: pipelineName, digest }),
        },
      },
      async (request) => ({
        name: request.params.name,
        digest: request.params.digest,
        spec: await registry.spec(request.params.name, request.params.digest),
      }),
    );

    app.delete(
      '/pipelines/:name',
      {
        config: { role: 'admin' },
        schema: {
          tags: ['pipelines'],
          summary: 'Delete a pipeline and all its versions (runs and their records stay)',
          params: z.strictObject({ name: pipelineName }),
        },
      },
      async (request, reply) => {
        await registry.deletePipeline(request.params.name);
        return reply.status(204).send();
      },
    );

    app.delete(
      '/pipelines/:name/versions/:version',
      {
        config: { role: 'admin' },
        schema: {
          tags: ['pipelines'],
          summary: 'Delete one version',
          params: z.strictObject({ name: pipelineName, version: versionLabel }),
        },
      },
      async (request, reply) => {
        await registry.deleteVersion(request.params.name, request.params.version);
        return reply.status(204).send();
      },
    );
  };
}
