/** `/runs`: create, list, get, cancel, retry, logs, artifacts. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiDeps } from '../deps';
import { paramsObject, pipelineName, pipelineRef, queryValue, runId, taskId, digest } from '../schemas';
import { listArtifacts, openArtifact } from './artifacts';
import { cancelRun, retryRun } from './control';
import { getRun } from './get';
import { listRuns } from './list';
import { openStepLog } from './logs';
import { checkRunParams, resolvePipeline, startRun } from './start';

const runState = z.enum(['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED']);
/** `0,2` → [0, 2] */
const iteration = z
  .string()
  .regex(/^\d{1,6}(,\d{1,6}){0,7}$/, { error: 'must be loop indices separated by commas, e.g. 0,2' })
  .transform((v) => v.split(',').map(Number));

const createRunBody = z.strictObject({
  pipeline: pipelineRef
    .optional()
    .describe('A stored pipeline: name, and version or digest (default: the latest version)'),
  spec: z.record(z.string(), z.unknown()).optional().describe('Inline IR instead of a stored pipeline'),
  params: paramsObject.describe("Run parameters, checked against the IR's declarations"),
  experiment: queryValue.optional().describe('Recorded as the KilnExperiment search attribute'),
  executor: z.enum(['local', 'kubernetes']).optional(),
  cache: z.boolean().optional().describe('Use the step cache (default true)'),
  parallelism: z.number().int().min(1).max(10_000).optional(),
});

/**
 * @example
 * ```ts
 * await app.register(runRoutes(deps));
 * ```
 */
export function runRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/runs',
      {
        config: { role: 'operator' },
        bodyLimit: deps.limits.pipelineBytes + deps.limits.paramsBytes,
        schema: {
          tags: ['runs'],
          summary: 'Start a run',
          description:
            'Runs a stored pipeline version (`pipeline`) or inline IR (`spec`). Parameters are checked against the IR: a 422 names each bad one.',
          body: createRunBody,
        },
      },
      async (request, reply) => {
        const { body } = request;
        const pipeline = await resolvePipeline(deps, {
          ...(body.pipeline ? { pipeline: body.pipeline } : {}),
          ...(body.spec ? { spec: body.spec } : {}),
        });
        checkRunParams(deps, pipeline.spec, body.params);
        const started = await startRun(deps, {
          pipeline,
          params: body.params,
          options: {
            ...(body.experiment ? { experiment: body.experiment } : {}),
            ...(body.executor ? { executor: body.executor } : {}),
            ...(body.cache !== undefined ? { cache: body.cache } : {}),
            ...(body.parallelism ? { parallelism: body.parallelism } : {}),
          },
          startedBy: request.principal?.name ?? 'anonymous',
        });
        return reply
          .status(201)
          .header('location', `/runs/${started.runId}`)
          .send({
            ...started,
            pipeline: {
              name: pipeline.spec.pipeline.name,
              digest: pipeline.digest,
              ...(pipeline.version ? { version: pipeline.version } : {}),
            },
          });
      },
    );

    app.get(
      '/runs',
      {
        schema: {
          tags: ['runs'],
          summary: 'List runs (Temporal visibility), newest first',
          querystring: z.strictObject({
            pipeline: pipelineName.optional(),
            digest: digest.optional(),
            experiment: queryValue.optional(),
            status: runState.optional(),
            pageSize: z.coerce.number().int().min(1).max(1000).default(50),
            pageToken: z
              .string()
              .regex(/^[A-Za-z0-9_-]{1,4096}$/, { error: 'must be the nextPageToken of a previous page' })
              .optional(),
          }),
        },
      },
      async (request) => {
        const q = request.query;
        return listRuns(deps, {
          pageSize: q.pageSize,
          ...(q.pipeline ? { pipeline: q.pipeline } : {}),
          ...(q.digest ? { digest: q.digest } : {}),
          ...(q.experiment ? { experiment: q.experiment } : {}),
          ...(q.status ? { status: q.status } : {}),
          ...(q.pageToken ? { pageToken: q.pageToken } : {}),
        });
      },
    );

    app.get(
      '/runs/:runId',
      {
        schema: { tags: ['runs'], summary: 'The run status document', params: z.strictObject({ runId }) },
      },
      async (request) => getRun(deps, request.params.runId),
    );

    app.post(
      '/runs/:runId/cancel',
      {
        config: { role: 'operator' },
        schema: { tags: ['runs'], summary: 'Cancel a running run', params: z.strictObject({ runId }) },
      },
      async (request, reply) => reply.status(202).send(await cancelRun(deps, request.params.runId)),
    );

    app.post(
      '/runs/:runId/retry',
      {
        config: { role: 'operator' },
        schema: {
          tags: ['runs'],
          summary: 'Retry a failed or cancelled run from its failed steps',
          description:
            'Starts a new run of the same IR, parameters and options with the step cache on: succeeded steps are reused from the cache. The new run records origin.retryOf.',
          params: z.strictObject({ runId }),
        },
      },
      async (request, reply) => {
        const result = await retryRun(deps, request.params.runId, request.principal?.name ?? 'anonymous');
        return reply.status(201).header('location', `/runs/${result.runId}`).send(result);
      },
    );

    app.get(
      '/runs/:runId/tasks/:taskId/logs',
      {
        schema: {
          tags: ['runs'],
          summary: "A step's log (text/plain), saved or live",
          description:
            "The saved log of one attempt (default: the latest). With follow=true a running attempt's log streams as it grows " +
            '(chunked text/plain) and the response ends when the attempt does, or after waitSeconds (then a last `[kiln]` line says so). ' +
            '`x-kiln-log-source` says `saved` or `live`. Kubernetes steps are followed through the Kubernetes API when the API is configured ' +
            'with cluster access (KILN_K8S_NAMESPACE), other steps through the live log chunks their executor saves in the store.',
          params: z.strictObject({ runId, taskId }),
          querystring: z.strictObject({
            attempt: z.coerce.number().int().min(1).max(1000).optional(),
            iteration: iteration.optional(),
            follow: z
              .enum(['true', 'false'])
              .default('false')
              .transform((v) => v === 'true'),
            waitSeconds: z.coerce
              .number()
              .int()
              .min(1)
              .max(24 * 3600)
              .default(3600),
          }),
        },
      },
      async (request, reply) => {
        const abort = new AbortController();
        // The client went away: stop following (the socket closes before the response ends).
        reply.raw.once('close', () => abort.abort());
        const q = request.query;
        const log = await openStepLog(deps, {
          runId: request.params.runId,
          taskId: request.params.taskId,
          follow: q.follow,
          waitMs: q.waitSeconds * 1000,
          signal: abort.signal,
          log: request.log,
          ...(q.attempt ? { attempt: q.attempt } : {}),
          ...(q.iteration ? { iteration: q.iteration } : {}),
        });
        return (
          reply
            .type('text/plain; charset=utf-8')
            .header('x-kiln-attempt', String(log.attempt))
            .header('x-kiln-log-source', log.source)
            // A proxy that buffers would hold live lines back until the step ends.
            .header('cache-control', 'no-store')
            .header('x-accel-buffering', 'no')
            .send(log.stream)
        );
      },
    );

    app.get(
      '/runs/:runId/artifacts',
      {
        schema: {
          tags: ['runs'],
          summary: "The output artifacts the run's tasks recorded so far",
          description:
            'Each with its task, iteration, output name, URI, type, sha256 digest and metadata, and `download`: the path that streams it.',
          params: z.strictObject({ runId }),
        },
      },
      async (request) => listArtifacts(deps, request.params.runId),
    );

    app.get(
      '/runs/:runId/tasks/:taskId/artifacts/:output',
      {
        schema: {
          tags: ['runs'],
          summary: 'Download an output artifact',
          description:
            'Streams a file artifact with its content type and `x-kiln-digest` (sha256); a directory artifact answers with its file list unless `path` picks a file.',
          params: z.strictObject({
            runId,
            taskId,
            output: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'must be an output name' }),
          }),
          querystring: z.strictObject({
            iteration: iteration.optional(),
            path: z
              .string()
              .min(1)
              .max(1024)
              .regex(/^(?!.*(^|\/)\.\.?(\/|$))[^\0\\]+$/, { error: 'must be a relative path without . or .. segments' })
              .optional(),
          }),
        },
      },
      async (request, reply) => {
        const artifact = await openArtifact(deps, {
          ...request.params,
          ...(request.query.iteration ? { iteration: request.query.iteration } : {}),
          ...(request.query.path ? { path: request.query.path } : {}),
        });
        if (artifact.kind === 'directory')
          return { uri: artifact.uri, digest: artifact.digest, kind: 'directory', files: artifact.files };
        return reply
          .type(artifact.contentType)
          .header('content-length', String(artifact.size))
          .header('x-kiln-digest', artifact.digest)
          .header('digest', `sha-256=${Buffer.from(artifact.digest.replace(/^sha256:/, ''), 'hex').toString('base64')}`)
          .header('content-disposition', `attachment; filename="${artifact.fileName.replace(/["\\\r\n]/g, '_')}"`)
          .send(artifact.stream);
      },
    );
  };
}
