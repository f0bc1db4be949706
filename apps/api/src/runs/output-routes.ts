/** A run's outputs: `/runs/:runId/tasks/:taskId/logs`, `/runs/:runId/artifacts`, `/runs/:runId/tasks/:taskId/artifacts/:output`. */
import { apiRoutes, kilnHeaders } from '@kiln/api-contract';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ApiDeps } from '../deps';
import { routeOptions } from '../route-options';
import { listArtifacts, openArtifact, type ArtifactDownload } from './artifacts';
import type { StepLogStream } from './logs';
import { openStepLog } from './logs';

/** A step log as text/plain, streaming: headers say which attempt and whether it is saved or followed live. */
function sendLog(reply: FastifyReply, log: StepLogStream): FastifyReply {
  return (
    reply
      .type('text/plain; charset=utf-8')
      .header(kilnHeaders.attempt, String(log.attempt))
      .header(kilnHeaders.logSource, log.source)
      // A proxy that buffers would hold live lines back until the step ends.
      .header('cache-control', 'no-store')
      .header('x-accel-buffering', 'no')
      .send(log.stream)
  );
}

/** A file artifact's bytes with its content type and digest (`x-kiln-digest`, and RFC 3230's `digest`). */
function sendFile(reply: FastifyReply, file: Extract<ArtifactDownload, { kind: 'file' }>): FastifyReply {
  const sha256 = Buffer.from(file.digest.replace(/^sha256:/, ''), 'hex').toString('base64');
  return reply
    .type(file.contentType)
    .header('content-length', String(file.size))
    .header(kilnHeaders.digest, file.digest)
    .header('digest', `sha-256=${sha256}`)
    .header('content-disposition', `attachment; filename="${file.fileName.replace(/["\\\r\n]/g, '_')}"`)
    .send(file.stream);
}

/**
 * @example
 * ```ts
 * await app.register(runOutputRoutes(deps));
 * ```
 */
export function runOutputRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.route({
      ...routeOptions(apiRoutes.getStepLog),
      handler: async (request, reply) => {
        const abort = new AbortController();
        // The client went away: stop following (the socket closes before the response ends).
        reply.raw.once('close', () => abort.abort());
        const { attempt, iteration, follow, waitSeconds } = request.query;
        const log = await openStepLog(deps, {
          ...request.params,
          follow,
          waitMs: waitSeconds * 1000,
          signal: abort.signal,
          log: request.log,
          ...(attempt ? { attempt } : {}),
          ...(iteration ? { iteration } : {}),
        });
        return sendLog(reply, log);
      },
    });
    app.route({
      ...routeOptions(apiRoutes.listRunArtifacts),
      handler: async (request) => listArtifacts(deps, request.params.runId),
    });
    app.route({
      ...routeOptions(apiRoutes.downloadArtifact),
      handler: async (request, reply) => {
        const { iteration, path } = request.query;
        const artifact = await openArtifact(deps, {
          ...request.params,
          ...(iteration ? { iteration } : {}),
          ...(path ? { path } : {}),
        });
        if (artifact.kind === 'directory') return reply.type('application/json').send(artifact);
        return sendFile(reply, artifact);
      },
    });
  };
}
