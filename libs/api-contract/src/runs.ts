/**
 * `/runs`: start a run of a stored pipeline or inline IR, list runs through
 * Temporal visibility, read a run's status document, cancel and retry.
 */
import { runStateSchema, runSummarySchema, runViewSchema } from '@kiln/engine-contract/schemas';
import { runOriginSchema as storedRunOriginSchema } from '@kiln/store-layout';
import { z } from 'zod';
import {
  digest,
  executor,
  pageSize,
  pageToken,
  paramsObject,
  pipelineName,
  pipelineRef,
  queryValue,
  runId,
} from './fields';
import { defineRoute } from './route';

/** A run start time in a filter: ISO 8601 with a zone (`2026-12-01T00:00:00Z`, `2026-12-01T09:00:00+01:00`). */
const startedAt = z.iso.datetime({
  offset: true,
  error: 'must be an ISO 8601 time with a zone, e.g. 2026-12-01T00:00:00Z',
});

export const createRunBodySchema = z.strictObject({
  pipeline: pipelineRef
    .optional()
    .describe('A stored pipeline: name, and version or digest (default: the latest version)'),
  spec: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('Inline IR instead of a stored pipeline (a 422 invalid-pipeline lists each problem with its JSON path)'),
  params: paramsObject.describe("Run parameters, checked against the IR's declarations"),
  experiment: queryValue.optional().describe('Recorded as the KilnExperiment search attribute'),
  executor: executor.optional().describe("Which executor runs the steps (default: the pipeline's setting, then local)"),
  cache: z.boolean().optional().describe('Use the step cache (default true)'),
  parallelism: z.number().int().min(1).max(10_000).optional().describe('Cap on concurrently running steps'),
});

export const startedRunSchema = z.object({
  runId: z.string().describe("Kiln's run id (the Temporal workflow id)"),
  workflowId: z.string(),
  pipeline: z.object({ name: z.string(), digest: z.string(), version: z.string().optional() }),
});

/** What the API knows about a run that the workflow does not: the record it keeps next to the run (`@kiln/store-layout`). */
export const runOriginSchema = storedRunOriginSchema.describe(
  'What the API knows about a run that the workflow does not',
);

/** The run status document, Temporal's view of the run, and where it came from. */
export const runResourceSchema = runViewSchema.extend({ origin: runOriginSchema.optional() }).meta({
  id: 'Run',
  description: "A run's status document with Temporal's view of it and, when started through the API, its origin",
});

export const listRunsQuerySchema = z.strictObject({
  pipeline: pipelineName.optional(),
  digest: digest.optional(),
  experiment: queryValue.optional(),
  status: runStateSchema.optional(),
  startedAfter: startedAt.optional().describe('Only runs started at or after this time'),
  startedBefore: startedAt.optional().describe('Only runs started before this time'),
  pageSize: pageSize(50),
  pageToken: pageToken.optional(),
});

export const runPageSchema = z.object({
  runs: z.array(runSummarySchema),
  nextPageToken: z.string().optional().describe('Pass as pageToken for the next page; absent on the last page'),
});

export const cancelRequestedSchema = z.object({ runId: z.string(), cancelRequested: z.literal(true) });

export const retriedRunSchema = z.object({
  runId: z.string().describe('The new run'),
  retryOf: z.string(),
});

const runParams = z.strictObject({ runId });

export const runRoutes = {
  createRun: defineRoute({
    method: 'POST',
    path: '/runs',
    access: 'operator',
    tag: 'runs',
    summary: 'Start a run',
    description:
      'Runs a stored pipeline version (`pipeline`) or inline IR (`spec`). Parameters are checked against the IR: a 422 names each bad one. ' +
      'Inline IR is new code for the worker to run, so it needs the role that uploads pipelines (admin; `KILN_API_INLINE_SPEC_ROLE` may lower it): 403 otherwise.',
    body: createRunBodySchema,
    responses: { 201: startedRunSchema },
    errors: [403, 404, 409],
  }),
  listRuns: defineRoute({
    method: 'GET',
    path: '/runs',
    access: 'viewer',
    tag: 'runs',
    summary: 'List runs (Temporal visibility): running first, then by end time, newest first',
    description:
      "Temporal visibility's order: runs still going first, then ended runs by when they ended. A run that ends while a client " +
      'pages moves from the first group to the second, so it can show on two pages or on none; filter by state for a stable listing.',
    query: listRunsQuerySchema,
    responses: { 200: runPageSchema },
  }),
  getRun: defineRoute({
    method: 'GET',
    path: '/runs/:runId',
    access: 'viewer',
    tag: 'runs',
    summary: 'The run status document',
    params: runParams,
    responses: { 200: runResourceSchema },
    errors: [404],
  }),
  cancelRun: defineRoute({
    method: 'POST',
    path: '/runs/:runId/cancel',
    access: 'operator',
    tag: 'runs',
    summary: 'Cancel a running run',
    params: runParams,
    responses: { 202: cancelRequestedSchema },
    errors: [404, 409],
  }),
  retryRun: defineRoute({
    method: 'POST',
    path: '/runs/:runId/retry',
    access: 'operator',
    tag: 'runs',
    summary: 'Retry a failed or cancelled run from its failed steps',
    description:
      'Starts a new run of the same IR, parameters and options with the step cache on: succeeded steps are reused from the cache. The new run records origin.retryOf.',
    params: runParams,
    responses: { 201: retriedRunSchema },
    errors: [404, 409],
  }),
};
