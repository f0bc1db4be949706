/** The contract's types, each inferred from its schema: what a request sends (`z.input`) or an answer holds. */
import type { z } from 'zod';
import type { pipelineRef } from './fields';
import type {
  pipelineByDigestSchema,
  pipelineDetailSchema,
  pipelineSummarySchema,
  pipelineVersionSchema,
  pipelineVersionWithSpecSchema,
  uploadedVersionSchema,
  uploadPipelineQuerySchema,
} from './pipelines';
import type {
  createRunBodySchema,
  listRunsQuerySchema,
  runOriginSchema,
  runResourceSchema,
  startedRunSchema,
} from './runs';
import type { backfillBodySchema, createScheduleBodySchema, durationSchema } from './schedules';
import type { directoryListingSchema, listedArtifactSchema } from './run-outputs';
import type { readinessSchema } from './health';
import type { whoamiSchema } from './auth';
import type {
  experimentListSchema,
  experimentSummarySchema,
  loopIterationPageSchema,
  runMetricsSchema,
  runsMetricsSchema,
} from './run-insights';
import type {
  runSummarySchema,
  scheduleOverlapSchema,
  scheduleSchema,
  scheduleSummarySchema,
} from '@kiln/engine-contract/schemas';

/** A stored pipeline version. */
export type PipelineVersion = z.infer<typeof pipelineVersionSchema>;
/** A pipeline with its latest version. */
export type PipelineSummary = z.infer<typeof pipelineSummarySchema>;
/** A pipeline with all its versions. */
export type PipelineDetail = z.infer<typeof pipelineDetailSchema>;
/** An uploaded version, and whether the upload created it. */
export type UploadedVersion = z.infer<typeof uploadedVersionSchema>;
/** A version with its IR. */
export type PipelineVersionWithSpec = z.infer<typeof pipelineVersionWithSpecSchema>;
/** IR fetched by digest. */
export type PipelineByDigest = z.infer<typeof pipelineByDigestSchema>;
/** The query of an upload: version label and description. */
export type UploadPipelineQuery = z.input<typeof uploadPipelineQuerySchema>;

/** A stored pipeline: its name, and a version label or a digest (the latest version when neither is given). */
export type PipelineRef = z.input<typeof pipelineRef>;

/** The body of `POST /runs`, as a client sends it. */
export type CreateRunBody = z.input<typeof createRunBodySchema>;
/** A run that was just started. */
export type StartedRun = z.infer<typeof startedRunSchema>;
/** Who started a run, from which stored version, and which run it retries. */
export type RunOrigin = z.infer<typeof runOriginSchema>;
/** A run: its status document, Temporal's view of it, and its origin. */
export type RunResource = z.infer<typeof runResourceSchema>;
/** The filters and page of `GET /runs`, as a client sends them. */
export type ListRunsQuery = z.input<typeof listRunsQuerySchema>;
/** A listed output artifact, with the path that downloads it. */
export type ListedArtifact = z.infer<typeof listedArtifactSchema>;
/** A directory artifact's file list. */
export type DirectoryListing = z.infer<typeof directoryListingSchema>;

/** One row of a run listing. */
export type RunSummary = z.infer<typeof runSummarySchema>;

/** A schedule as the server describes it: its spec, policies, recent and next runs. */
export type Schedule = z.infer<typeof scheduleSchema>;
/** One row of a schedule listing. */
export type ScheduleSummary = z.infer<typeof scheduleSummarySchema>;
/** What to do when a scheduled run is due while the previous one still runs. */
export type ScheduleOverlap = z.infer<typeof scheduleOverlapSchema>;
/** The body of `POST /schedules`, as a client sends it. */
export type CreateScheduleBody = z.input<typeof createScheduleBodySchema>;
/** A duration as the API takes it: `'30s'`, `'15m'`, `'1h'`, `'1d'`, or whole seconds. */
export type DurationInput = z.input<typeof durationSchema>;
/** The body of a backfill, as a client sends it. */
export type BackfillBody = z.input<typeof backfillBodySchema>;

/** What `/readyz` answers: each dependency's check, and the error when one failed. */
export type Readiness = z.infer<typeof readinessSchema>;

/** What `GET /auth/whoami` answers: the token holder's name and role, and the role inline IR needs. */
export type Whoami = z.infer<typeof whoamiSchema>;

/** One page of a loop task's iterations. */
export type LoopIterationPage = z.infer<typeof loopIterationPageSchema>;
/** A run's parameters and scalar metrics, for comparison. */
export type RunMetrics = z.infer<typeof runMetricsSchema>;
/** The answer of `GET /runs/metrics`. */
export type RunsMetrics = z.infer<typeof runsMetricsSchema>;
/** An experiment with its run count. */
export type ExperimentSummary = z.infer<typeof experimentSummarySchema>;
/** The answer of `GET /experiments`. */
export type ExperimentList = z.infer<typeof experimentListSchema>;
