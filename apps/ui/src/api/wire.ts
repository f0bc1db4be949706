/**
 * The shapes of the API's answers that the UI reads, as zod schemas. Stand-ins
 * for `@kiln/api-contract` (zod schemas of every route, built alongside): when
 * it lands, these are replaced by its schemas and this file goes away. The run
 * status document already comes from its one definition in the engine contract.
 */
import { runStatusDocumentSchema } from '@kiln/engine-contract/schemas';
import { artifactTypeSchema, jsonValueSchema, pipelineSpecSchema } from '@kiln/ir';
import { z } from 'zod';

export const errorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

export const pipelineVersionSchema = z.object({
  name: z.string(),
  version: z.string(),
  digest: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
  description: z.string().optional(),
});

/** `GET /pipelines` */
export const pipelineListSchema = z.object({
  pipelines: z.array(z.object({ name: z.string(), versions: z.number(), latest: pipelineVersionSchema })),
});

/** `GET /pipelines/:name` */
export const pipelineSchema = z.object({
  name: z.string(),
  latest: pipelineVersionSchema,
  versions: z.array(pipelineVersionSchema),
});

/** `GET /pipelines/:name/versions/:version` */
export const pipelineVersionWithSpecSchema = pipelineVersionSchema.extend({ spec: pipelineSpecSchema });

/** `GET /pipelines/:name/digests/:digest` */
export const pipelineByDigestSchema = z.object({ name: z.string(), digest: z.string(), spec: pipelineSpecSchema });

export const runStateSchema = z.enum(['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED']);

export const runSummarySchema = z.object({
  runId: z.string(),
  pipeline: z.object({ name: z.string(), digest: z.string().optional() }),
  experiment: z.string().optional(),
  state: runStateSchema,
  temporalStatus: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  ui: z.string().optional(),
});

/** `GET /runs` */
export const runPageSchema = z.object({ runs: z.array(runSummarySchema), nextPageToken: z.string().optional() });

/** `GET /runs/:runId`: the status document plus Temporal's view and the run's origin. */
export const runResourceSchema = runStatusDocumentSchema.extend({
  temporal: z.object({
    status: z.string(),
    runId: z.string(),
    historyLength: z.number(),
    ui: z.string().optional(),
  }),
  origin: z
    .object({
      startedBy: z.string(),
      pipelineVersion: z.string().optional(),
      pipelineDigest: z.string(),
      retryOf: z.string().optional(),
    })
    .optional(),
});

export const listedArtifactSchema = z.object({
  taskId: z.string(),
  iteration: z.array(z.number()).optional(),
  output: z.string(),
  uri: z.string(),
  type: artifactTypeSchema,
  digest: z.string().optional(),
  metadata: z.record(z.string(), jsonValueSchema),
  download: z.string(),
});

/** `GET /runs/:runId/artifacts` */
export const runArtifactsSchema = z.object({ runId: z.string(), artifacts: z.array(listedArtifactSchema) });

const schedulePipelineSchema = z.object({ name: z.string(), version: z.string().optional(), digest: z.string() });

export const scheduleSummarySchema = z.object({
  id: z.string(),
  pipeline: schedulePipelineSchema.optional(),
  paused: z.boolean(),
  note: z.string().optional(),
  nextRunTimes: z.array(z.string()),
});

/** `GET /schedules` */
export const schedulePageSchema = z.object({
  schedules: z.array(scheduleSummarySchema),
  nextPageToken: z.string().optional(),
});

/** `GET /schedules/:id` (and the answer of pause / resume) */
export const scheduleSchema = scheduleSummarySchema.extend({
  params: z.record(z.string(), jsonValueSchema).optional(),
  experiment: z.string().optional(),
  cron: z.array(z.string()).optional(),
  interval: z.object({ every: z.string(), offset: z.string().optional() }).optional(),
  timezone: z.string(),
  overlap: z.string(),
  catchupWindowSeconds: z.number(),
  pauseOnFailure: z.boolean(),
  createdBy: z.string().optional(),
  recentRuns: z.array(z.object({ runId: z.string(), scheduledAt: z.string(), takenAt: z.string() })),
  runningRuns: z.array(z.string()),
  actionsTaken: z.number(),
  actionsMissedCatchupWindow: z.number(),
  actionsSkippedOverlap: z.number(),
  createdAt: z.string(),
});

/** `POST /schedules/:id/trigger` */
export const triggeredSchema = z.object({ id: z.string(), triggered: z.literal(true) });

export type PipelineVersion = z.infer<typeof pipelineVersionSchema>;
export type PipelineList = z.infer<typeof pipelineListSchema>;
export type Pipeline = z.infer<typeof pipelineSchema>;
export type PipelineVersionWithSpec = z.infer<typeof pipelineVersionWithSpecSchema>;
export type RunState = z.infer<typeof runStateSchema>;
export type RunSummary = z.infer<typeof runSummarySchema>;
export type RunPage = z.infer<typeof runPageSchema>;
export type RunResource = z.infer<typeof runResourceSchema>;
export type ListedArtifact = z.infer<typeof listedArtifactSchema>;
export type RunArtifacts = z.infer<typeof runArtifactsSchema>;
export type ScheduleSummary = z.infer<typeof scheduleSummarySchema>;
export type SchedulePage = z.infer<typeof schedulePageSchema>;
export type Schedule = z.infer<typeof scheduleSchema>;
