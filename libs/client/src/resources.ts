/**
 * What the client returns: the same shapes the HTTP API serves (see
 * docs/api.md), whichever transport produced them.
 */
import type {
  ExecutorKind,
  KilnRunSummary,
  KilnSchedule,
  KilnScheduleSummary,
  RunArtifact,
  RunState,
  RunStatusDocument,
  ScheduleOverlap,
  TaskState,
} from '@kiln/engine-client';
import type { PipelineSpec } from '@kiln/ir';

/** How a run is started, besides its pipeline and parameters. */
export interface StartRunOptions {
  /** Recorded as the `KilnExperiment` search attribute; filter `runs.list` by it. */
  experiment?: string;
  /** Which executor runs the steps (default: the pipeline's setting, then `local`). */
  executor?: ExecutorKind;
  /** Use the step cache (default true). */
  cache?: boolean;
  /** Cap on concurrently running steps. */
  parallelism?: number;
}

/** A run that was just started. */
export interface StartedRun {
  /** Kiln's run id (the Temporal workflow id). */
  runId: string;
  workflowId: string;
  pipeline: { name: string; digest: string; version?: string };
}

/** A run status document with what the server knows about it besides. */
export interface RunDetails extends RunStatusDocument {
  /** Temporal's view: execution status (`RUNNING`, `COMPLETED`, ...), run id, history length, Web UI link. */
  temporal?: { status: string; runId: string; historyLength: number; ui?: string };
  /** Who started the run, from which stored version, and which run it retries (API only). */
  origin?: { startedBy: string; pipelineVersion?: string; pipelineDigest: string; retryOf?: string };
}

/** One row of `runs.list`. */
export type RunSummary = KilnRunSummary;

/** Filters of `runs.list`; all optional, combined with AND. */
export interface RunFilter {
  pipeline?: string;
  digest?: string;
  experiment?: string;
  status?: RunState;
  /** Runs per page (default 50). */
  pageSize?: number;
  /** Start from this page (a `nextPageToken` of an earlier page). */
  pageToken?: string;
}

/** One page of a listing. */
export interface Page<T> {
  items: T[];
  /** Pass as `pageToken` for the next page; absent on the last page. */
  nextPageToken?: string;
}

/**
 * A listing: iterate it for the items across every page, or call `pages()`
 * for one page at a time. Pages are fetched lazily, as iteration reaches them.
 */
export interface Paginated<T> extends AsyncIterable<T> {
  pages(): AsyncIterable<Page<T>>;
}

/** A task whose state changed between two updates of `runs.watch`. */
export interface TaskChange {
  id: string;
  iteration?: number[];
  /** Absent the first time the task is seen. */
  from?: TaskState;
  to: TaskState;
}

/** One update of `runs.watch`: the run now, and what changed since the previous update. */
export interface RunUpdate {
  run: RunDetails;
  /** Tasks whose state changed (on the first update: every task). */
  changes: TaskChange[];
  /** The run ended; this is the last update. */
  final: boolean;
}

export interface WatchOptions {
  /** How often to ask for the status document (default 1000 ms). */
  intervalMs?: number;
  /** Stops the watch (the iterator ends without an error). */
  signal?: AbortSignal;
}

/** Which log `runs.logs` opens. */
export interface LogOptions {
  /** 1-based attempt (default: the latest). */
  attempt?: number;
  /** Loop indices, outermost first, for a task inside a loop. */
  iteration?: number[];
  /**
   * Stream a running step's log as it grows, until the step ends (or
   * `waitSeconds` pass, default 3600). Without it, a running step is a
   * `not-found` error (its log is saved when it ends).
   */
  follow?: boolean;
  waitSeconds?: number;
  signal?: AbortSignal;
}

/**
 * A step's log: iterate it for UTF-8 chunks as they arrive (or `lines()` for
 * whole lines). Read it once.
 */
export interface StepLog extends AsyncIterable<string> {
  attempt: number;
  /** `saved`: the attempt had ended and this is its saved log; `live`: followed while the step runs. */
  source: 'saved' | 'live';
  /** The same chunks as iterating the log itself. */
  chunks: AsyncIterable<string>;
  /** The log line by line (without the newline); a last line without one is yielded too. */
  lines(): AsyncIterable<string>;
}

/** One output artifact a run's task recorded. */
export interface RunArtifactInfo extends RunArtifact {
  runId: string;
}

/** Which artifact to download: a run's task output (a {@link RunArtifactInfo} from `runs.artifacts` fits). */
export interface ArtifactLocator {
  runId: string;
  taskId: string;
  output: string;
  /** Loop indices, outermost first, for a task inside a loop. */
  iteration?: number[];
  /** The digest the bytes must have (a listed artifact carries it); the run's recorded digest is checked either way. */
  digest?: string;
}

export interface DownloadOptions {
  signal?: AbortSignal;
}

/** A downloaded artifact: where it is, and what was checked. */
export interface DownloadedArtifact {
  /** `toPath`: the file, or for a directory artifact the folder holding its files. */
  path: string;
  kind: 'file' | 'directory';
  /** The artifact's `sha256:<hex>` digest (a directory's is over its listing). */
  digest: string;
  /** Bytes written. */
  size: number;
  /** Each file with the digest it was verified against (one entry for a file artifact). */
  files: { path: string; digest: string; size: number }[];
}

/** A stored pipeline version. */
export interface PipelineVersion {
  name: string;
  version: string;
  /** `sha256:<hex>` of the canonical IR: the version's identity. */
  digest: string;
  createdAt: string;
  /** Token name of the uploader. */
  createdBy: string;
  description?: string;
}

export interface PipelineSummary {
  name: string;
  versions: number;
  latest: PipelineVersion;
}

/** A pipeline version with its IR (`version` is absent when fetched by digest). */
export interface PipelineWithSpec extends Partial<PipelineVersion> {
  name: string;
  digest: string;
  spec: PipelineSpec;
}

export interface UploadOptions {
  /** Version label (default: the next number, or the existing version of the same IR). */
  version?: string;
  description?: string;
}

/** What to do when a scheduled run is due while the previous one still runs. */
export type OverlapPolicy = ScheduleOverlap;

/** A duration as Temporal takes it (`'30s'`, `'15m'`, `'1h'`, `'1d'`) or whole seconds. */
export type DurationInput = string | number;

/** A schedule as the server describes it. */
export type Schedule = KilnSchedule;

/** One row of `schedules.list`. */
export type ScheduleSummary = KilnScheduleSummary;

/** When and how a schedule starts runs (everything but the pipeline and its parameters). */
export interface ScheduleSpecOptions {
  /** 1-100 letters, digits, `.`, `_` or `-`. */
  id: string;
  /** Cron expression(s), e.g. `'0 3 * * *'`. Give `cron` or `interval`. */
  cron?: string | string[];
  /** Fixed interval, e.g. `{ every: '1h' }`. */
  interval?: { every: DurationInput; offset?: DurationInput };
  /** IANA time zone of the cron expressions (default UTC). */
  timezone?: string;
  /** Default SKIP. */
  overlap?: OverlapPolicy;
  /** How late a missed run may still start (required, so nobody is surprised by a burst of old runs). */
  catchupWindow: DurationInput;
  pauseOnFailure?: boolean;
  /** Create the schedule paused. */
  paused?: boolean;
  note?: string;
  startAt?: Date | string;
  endAt?: Date | string;
  experiment?: string;
  executor?: ExecutorKind;
  cache?: boolean;
}

export interface BackfillOptions {
  start: Date | string;
  end: Date | string;
  /** Default ALLOW_ALL: every missed action runs. */
  overlap?: OverlapPolicy;
}
