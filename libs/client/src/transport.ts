/**
 * What each transport implements: the primitive calls. Everything built from
 * them (run handles, watching, waiting for a result, pagination, compiling DSL
 * pipelines) is shared, in `build-client.ts`.
 */
import type { JsonValue, PipelineSpec } from '@kiln/ir';
import type { StoredPipelineRef } from './params';
import type {
  ArtifactLocator,
  BackfillOptions,
  DownloadedArtifact,
  DownloadOptions,
  ExperimentList,
  IterationOptions,
  LoopIterationPage,
  RunEvent,
  RunEventsOptions,
  RunsMetrics,
  LogOptions,
  OverlapPolicy,
  Page,
  PipelineSummary,
  PipelineVersion,
  PipelineWithSpec,
  RunArtifactInfo,
  RunDetails,
  RunFilter,
  RunSummary,
  Schedule,
  ScheduleSpecOptions,
  ScheduleSummary,
  StartedRun,
  StartRunOptions,
  StepLog,
  UploadOptions,
  Whoami,
} from './resources';

/** A pipeline ready to send: IR, or a reference to a stored version. */
export type ResolvedSource = { spec: PipelineSpec } | { stored: StoredPipelineRef };

export interface ScheduleRequest extends Omit<ScheduleSpecOptions, 'cron'> {
  cron?: string[];
  source: ResolvedSource;
  params: Record<string, JsonValue>;
}

export interface Transport {
  readonly kind: 'api' | 'temporal';
  startRun(source: ResolvedSource, params: Record<string, JsonValue>, options: StartRunOptions): Promise<StartedRun>;
  getRun(runId: string): Promise<RunDetails>;
  listRuns(filter: RunFilter): Promise<Page<RunSummary>>;
  cancelRun(runId: string): Promise<void>;
  retryRun(runId: string): Promise<StartedRun>;
  runLogs(runId: string, taskId: string, options: LogOptions): Promise<StepLog>;
  runArtifacts(runId: string): Promise<RunArtifactInfo[]>;
  downloadArtifact(artifact: ArtifactLocator, toPath: string, options: DownloadOptions): Promise<DownloadedArtifact>;
  loopIterations(runId: string, taskId: string, options: IterationOptions): Promise<LoopIterationPage>;
  runsMetrics(runIds: readonly string[]): Promise<RunsMetrics>;
  runEvents(runId: string, options: RunEventsOptions): AsyncIterable<RunEvent>;
  listExperiments(filter: { pipeline?: string }): Promise<ExperimentList>;

  createSchedule(request: ScheduleRequest): Promise<Schedule>;
  listSchedules(options: { pageSize?: number; pageToken?: string }): Promise<Page<ScheduleSummary>>;
  getSchedule(id: string): Promise<Schedule>;
  pauseSchedule(id: string, note?: string): Promise<Schedule>;
  resumeSchedule(id: string, note?: string): Promise<Schedule>;
  triggerSchedule(id: string, overlap?: OverlapPolicy): Promise<void>;
  backfillSchedule(id: string, options: BackfillOptions): Promise<void>;
  deleteSchedule(id: string): Promise<void>;

  uploadPipeline(ir: string, options: UploadOptions): Promise<PipelineVersion & { created: boolean }>;
  listPipelines(): Promise<PipelineSummary[]>;
  getPipeline(name: string, ref: Omit<StoredPipelineRef, 'name'>): Promise<PipelineWithSpec>;
  pipelineVersions(name: string): Promise<PipelineVersion[]>;

  whoami(): Promise<Whoami>;

  close(): Promise<void>;
}
