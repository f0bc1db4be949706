/**
 * The client's one interface. `createKilnClient` returns it over the HTTP API
 * or straight on Temporal; the transports differ only where one of them cannot
 * do something (then it throws `KilnApiError` with code `unsupported`).
 */
import type { AnyPipeline } from '@kiln/dsl';
import type { PipelineSpec } from '@kiln/ir';
import type { ParamsField, PipelineSource, StartArgs, StoredPipelineRef } from './params';
import type {
  ArtifactLocator,
  BackfillOptions,
  DownloadedArtifact,
  DownloadOptions,
  ExperimentList,
  IterationOptions,
  LogOptions,
  LoopIterationPage,
  Paginated,
  PipelineSummary,
  PipelineVersion,
  PipelineWithSpec,
  RunArtifactInfo,
  RunDetails,
  RunEvent,
  RunEventsOptions,
  RunFilter,
  RunsMetrics,
  RunSummary,
  RunUpdate,
  Schedule,
  ScheduleSpecOptions,
  ScheduleSummary,
  StartedRun,
  StartRunOptions,
  StepLog,
  UploadOptions,
  WatchOptions,
  Whoami,
} from './resources';
import type { RunStatusDocument } from '@kiln/engine-client';

/** A started run, with the calls that concern it. */
export interface RunHandle extends StartedRun {
  get(): Promise<RunDetails>;
  watch(options?: WatchOptions): AsyncIterable<RunUpdate>;
  result(options?: WatchOptions): Promise<RunStatusDocument>;
  cancel(): Promise<void>;
}

export interface RunsApi {
  /**
   * Starts a run. For a pipeline defined with `@kiln/dsl`, `params` is checked
   * at compile time against the pipeline's parameters: an unknown name, a value
   * of the wrong type or a missing required parameter is a TypeScript error.
   *
   * @example
   * ```ts
   * const run = await client.runs.start(training, { minAccuracy: 0.9 }, { experiment: 'nightly' });
   * const doc = await run.result();
   * ```
   */
  start<S extends PipelineSource>(pipeline: S, ...args: StartArgs<S, StartRunOptions>): Promise<RunHandle>;
  /** The run status document (plus Temporal's view). @throws KilnApiError `not-found` */
  get(runId: string): Promise<RunDetails>;
  /**
   * Runs, newest first.
   *
   * @example
   * ```ts
   * for await (const run of client.runs.list({ pipeline: 'training-pipeline', status: 'FAILED' })) console.log(run.runId);
   * ```
   */
  list(filter?: RunFilter): Paginated<RunSummary>;
  /** Requests cancellation. @throws KilnApiError `conflict` if the run already ended. */
  cancel(runId: string): Promise<void>;
  /**
   * Starts a new run of a failed or cancelled run's IR, parameters and options
   * with the step cache on, so succeeded steps are reused.
   * @throws KilnApiError `conflict` while the run runs or if it succeeded.
   */
  retry(runId: string): Promise<RunHandle>;
  /**
   * Status updates until the run ends: one whenever the document changes, with
   * the tasks whose state changed.
   *
   * @example
   * ```ts
   * for await (const { run, changes } of client.runs.watch(runId)) {
   *   for (const c of changes) console.log(`${c.id}: ${c.from ?? 'new'} → ${c.to}`);
   * }
   * ```
   */
  watch(runId: string, options?: WatchOptions): AsyncIterable<RunUpdate>;
  /**
   * Waits for the run to end: its final document if it succeeded.
   * @throws KilnRunFailedError if it failed or was cancelled.
   */
  result(runId: string, options?: WatchOptions): Promise<RunStatusDocument>;
  /**
   * A step's log (API transport only): the saved log of an attempt that
   * ended, or with `follow` a running attempt's log as it grows, ending when
   * the attempt does. Iterate it for text chunks, or `lines()` for lines.
   *
   * @example
   * ```ts
   * const log = await client.runs.logs(runId, 'train', { follow: true });
   * for await (const line of log.lines()) console.log(line);
   * ```
   */
  logs(runId: string, taskId: string, options?: LogOptions): Promise<StepLog>;
  /**
   * The output artifacts the run's tasks recorded so far, in task order;
   * each can be passed to `artifacts.download`.
   *
   * @example
   * ```ts
   * for (const a of await client.runs.artifacts(runId)) console.log(a.taskId, a.output, a.digest);
   * ```
   */
  artifacts(runId: string): Promise<RunArtifactInfo[]>;
  /**
   * One page of a loop task's iterations by loop index, with outputs and attempts, optionally in
   * one state; batched loops included (API transport only).
   *
   * @example
   * ```ts
   * const page = await client.runs.iterations(runId, 'train-fold', { state: 'failed', pageSize: 20 });
   * for (const entry of page.iterations) console.log(entry.iteration, entry.error);
   * ```
   */
  iterations(runId: string, taskId: string, options?: IterationOptions): Promise<LoopIterationPage>;
  /**
   * Parameters and scalar metrics of many runs in one call, for comparing them.
   *
   * @example
   * ```ts
   * const { runs } = await client.runs.metrics([a, b]);
   * for (const run of runs) console.log(run.params, run.metrics.map((m) => `${m.name}=${m.value}`));
   * ```
   */
  metrics(runIds: readonly string[]): Promise<RunsMetrics>;
  /**
   * A run's task-state changes as the API streams them (API transport only): a snapshot, then
   * changed tasks and run states, ending with the run.
   *
   * @example
   * ```ts
   * for await (const e of client.runs.events(runId)) if (e.event === 'tasks') console.log(e.data.tasks.map((t) => t.state));
   * ```
   */
  events(runId: string, options?: RunEventsOptions): AsyncIterable<RunEvent>;
  /**
   * The experiments runs were started under, most recently used first (API transport only).
   *
   * @example
   * ```ts
   * const { experiments } = await client.runs.experiments({ pipeline: 'training-pipeline' });
   * ```
   */
  experiments(filter?: { pipeline?: string }): Promise<ExperimentList>;
}

export interface ArtifactsApi {
  /**
   * Downloads a run's output artifact to `toPath`, streaming to disk and
   * checking its sha256 against the artifact's digest (the file appears only
   * once it matches). A directory artifact becomes a folder of checked files.
   * Over the API always; straight on Temporal when the client was given the
   * artifact store (`temporal: { store }`), `unsupported` otherwise.
   * @throws KilnApiError `not-found` (run, task, output), `digest-mismatch`
   *
   * @example
   * ```ts
   * const [model] = (await client.runs.artifacts(runId)).filter((a) => a.output === 'model');
   * const { path, digest } = await client.artifacts.download(model!, './model.pkl');
   * await client.artifacts.download({ runId, taskId: 'evaluate', output: 'metrics' }, './metrics.json');
   * ```
   */
  download(artifact: ArtifactLocator, toPath: string, options?: DownloadOptions): Promise<DownloadedArtifact>;
}

/** `schedules.create` options: when to run, and which pipeline with which (typed) parameters. */
export type CreateScheduleOptions<S extends PipelineSource> = ScheduleSpecOptions & { pipeline: S } & ParamsField<S>;

export interface SchedulesApi {
  /**
   * Creates a Temporal Schedule that starts runs. A DSL pipeline or inline IR
   * is uploaded first over the API (it is idempotent; needs the admin role),
   * embedded in the schedule straight on Temporal.
   *
   * @example
   * ```ts
   * await client.schedules.create({ id: 'nightly', pipeline: training, params: { minAccuracy: 0.9 }, cron: '0 3 * * *', catchupWindow: '1h' });
   * ```
   */
  create<S extends PipelineSource>(options: CreateScheduleOptions<S>): Promise<Schedule>;
  list(options?: { pageSize?: number; pageToken?: string }): Paginated<ScheduleSummary>;
  get(id: string): Promise<Schedule>;
  pause(id: string, note?: string): Promise<Schedule>;
  resume(id: string, note?: string): Promise<Schedule>;
  /** Starts a run now (default overlap ALLOW_ALL). */
  trigger(id: string, options?: { overlap?: ScheduleSpecOptions['overlap'] }): Promise<void>;
  /** Runs every action the schedule would have taken in [start, end). */
  backfill(id: string, options: BackfillOptions): Promise<void>;
  delete(id: string): Promise<void>;
}

export interface PipelinesApi {
  /**
   * Stores a pipeline version (API transport only). Uploading the same IR
   * again is a no-op answering the existing version.
   *
   * @example
   * ```ts
   * const { version, digest } = await client.pipelines.upload(training, { version: '3' });
   * ```
   */
  upload(
    pipeline: AnyPipeline | PipelineSpec | string,
    options?: UploadOptions,
  ): Promise<PipelineVersion & { created: boolean }>;
  list(): Promise<PipelineSummary[]>;
  /** A version with its IR: the latest unless a version or digest is given. */
  get(name: string, ref?: Omit<StoredPipelineRef, 'name'>): Promise<PipelineWithSpec>;
  /** Every version of a pipeline, oldest first. */
  versions(name: string): Promise<PipelineVersion[]>;
}

/**
 * The Kiln client.
 *
 * @example
 * ```ts
 * const client = createKilnClient({ api: { url: 'http://localhost:8080', token: process.env.KILN_API_TOKEN! } });
 * const run = await client.runs.start(training, { minAccuracy: 0.9 });
 * for await (const update of run.watch()) console.log(update.run.state);
 * ```
 */
export interface KilnClient {
  readonly runs: RunsApi;
  readonly schedules: SchedulesApi;
  readonly pipelines: PipelinesApi;
  readonly artifacts: ArtifactsApi;
  /** Which transport this client uses. */
  readonly transport: 'api' | 'temporal';
  /**
   * Who holds the client's API token: its name, its role, and the role starting a run from
   * inline IR needs (API transport only; `unsupported` straight on Temporal).
   *
   * @example
   * ```ts
   * const { name, role } = await client.whoami(); // { name: 'ci', role: 'operator', inlineSpecRole: 'admin' }
   * if (role === 'viewer') console.log(`${name} may read runs, not start them`);
   * ```
   */
  whoami(): Promise<Whoami>;
  /** Closes connections the client opened itself. */
  close(): Promise<void>;
}
