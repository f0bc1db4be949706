/**
 * A run's step logs and output artifacts: `/runs/:runId/tasks/:taskId/logs`,
 * `/runs/:runId/artifacts` and `/runs/:runId/tasks/:taskId/artifacts/:output`.
 * Logs and files stream (their bodies are not JSON); a directory artifact
 * answers with its file list.
 */
import { runArtifactSchema } from '@kiln/engine-contract/schemas';
import { z } from 'zod';
import { iteration, outputName, runId, taskId } from './fields';
import { defineRoute } from './route';

/**
 * A body that streams: documented as a string of bytes, typed `unknown`
 * because the server sends a stream and a client reads one (never JSON).
 */
const streamed = (description: string, format?: 'binary') =>
  z.unknown().meta({ type: 'string', description, ...(format ? { format } : {}) });

export const stepLogQuerySchema = z.strictObject({
  attempt: z.coerce.number<number>().int().min(1).max(1000).optional().describe('1-based; default the latest'),
  iteration: iteration.optional().describe('Loop indices, outermost first, for a task inside a loop: 0,2'),
  follow: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .describe('Stream a running attempt until it ends'),
  waitSeconds: z.coerce
    .number<number>()
    .int()
    .min(1)
    .max(24 * 3600)
    .default(3600)
    .describe('How long a follow lasts at most'),
});

/** The response headers of logs and file downloads. */
export const kilnHeaders = {
  /** The attempt a served log is of (1-based). */
  attempt: 'x-kiln-attempt',
  /** `saved` or `live`: see {@link logSources}. */
  logSource: 'x-kiln-log-source',
  /** The `sha256:<hex>` digest the run recorded for a downloaded file: a client checks the bytes against it. */
  digest: 'x-kiln-digest',
} as const;

/** Where a served log comes from: the saved object, or followed while the step runs (`x-kiln-log-source`). */
export const logSources = ['saved', 'live'] as const;
export type LogSource = (typeof logSources)[number];

export const listedArtifactSchema = runArtifactSchema.extend({
  download: z.string().describe("`GET` this (relative to the API's base URL) for the bytes"),
});

export const runArtifactsSchema = z.object({ runId: z.string(), artifacts: z.array(listedArtifactSchema) });

export const artifactDownloadQuerySchema = z.strictObject({
  iteration: iteration.optional(),
  path: z
    .string()
    .min(1)
    .max(1024)
    .regex(/^(?!.*(^|\/)\.\.?(\/|$))[^\0\\]+$/, { error: 'must be a relative path without . or .. segments' })
    .optional()
    .describe('A file inside a directory artifact'),
});

export const directoryListingSchema = z.object({
  uri: z.string(),
  digest: z.string().describe("The digest the run recorded: over the directory's sorted (path, file digest) list"),
  kind: z.literal('directory'),
  files: z.array(z.object({ path: z.string() })),
});

export const runOutputRoutes = {
  getStepLog: defineRoute({
    method: 'GET',
    path: '/runs/:runId/tasks/:taskId/logs',
    access: 'viewer',
    tag: 'runs',
    summary: "A step's log (text/plain), saved or live",
    description:
      "The saved log of one attempt (default: the latest). With follow=true a running attempt's log streams as it grows " +
      '(chunked text/plain) and the response ends when the attempt does, or after waitSeconds (then a last `[kiln]` line says so). ' +
      '`x-kiln-attempt` is the attempt, `x-kiln-log-source` says `saved` or `live`. Kubernetes steps are followed through the Kubernetes API when the API is configured ' +
      'with cluster access (KILN_K8S_NAMESPACE), other steps through the live log chunks their executor saves in the store.',
    params: z.strictObject({ runId, taskId }),
    query: stepLogQuerySchema,
    responses: {
      200: {
        description: 'The log, UTF-8 text',
        content: { 'text/plain': { schema: streamed('The log as the step printed it') } },
      },
    },
    errors: [404],
  }),
  listRunArtifacts: defineRoute({
    method: 'GET',
    path: '/runs/:runId/artifacts',
    access: 'viewer',
    tag: 'runs',
    summary: "The output artifacts the run's tasks recorded so far",
    description:
      'Each with its task, iteration, output name, URI, type, sha256 digest and metadata, and `download`: the path that streams it.',
    params: z.strictObject({ runId }),
    responses: { 200: runArtifactsSchema },
    errors: [404],
  }),
  downloadArtifact: defineRoute({
    method: 'GET',
    path: '/runs/:runId/tasks/:taskId/artifacts/:output',
    access: 'viewer',
    tag: 'runs',
    summary: 'Download an output artifact',
    description:
      'Streams a file artifact with its content type, `x-kiln-digest` (sha256) and `content-disposition`; a directory artifact answers with its file list unless `path` picks a file.',
    params: z.strictObject({ runId, taskId, output: outputName }),
    query: artifactDownloadQuerySchema,
    responses: {
      200: {
        description: "The file's bytes (its digest in x-kiln-digest), or a directory artifact's listing",
        content: {
          'application/json': { schema: directoryListingSchema },
          'application/octet-stream': {
            schema: streamed("The file's bytes, with the artifact's content type", 'binary'),
          },
        },
      },
    },
    errors: [404],
  }),
};
