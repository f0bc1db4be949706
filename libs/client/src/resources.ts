/**
 * What the client returns: the shapes the HTTP API serves, inferred from
 * `@kiln/api-contract` (see docs/api.md), whichever transport produced them;
 * and the client's own options and views around them.
 */
import type {
  BackfillBody,
  CreateRunBody,
  CreateScheduleBody,
  ListRunsQuery,
  LogSource,
  PipelineByDigest,
  PipelineVersion,
  RunResource,
  UploadPipelineQuery,
} from '@kiln/api-contract';
import type { RunArtifact, TaskState } from '@kiln/engine-client';

export type {
  DurationInput,
  PipelineSummary,
  PipelineVersion,
  RunOrigin,
  StartedRun,
  UploadedVersion,
} from '@kiln/api-contract';

/** How a run is started, besides its pipeline and parameters (the options of `POST /runs`). */
export type StartRunOptions = Pick<CreateRunBody, 'experiment' | 'executor' | 'cache' | 'parallelism'>;

/**
 * A run status document with what the server knows about it besides:
 * Temporal's view (`temporal`: execution status, run id, history length, Web
 * UI link) and, for runs started through the API, `origin` (who started it,
 * from which stored version, which run it retries).
 */
export type RunDetails = RunResource;

/** One row of `runs.list`. */
export type { RunSummary } from '@kiln/api-contract';

/** Filters of `runs.list` (the query of `GET /runs`); all optional, combined with AND. Default 50 runs per page. */
export type RunFilter = ListRunsQuery;

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
  source: LogSource;
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

/** A pipeline version with its IR (`version`, `createdAt`... are absent when fetched by digest). */
export type PipelineWithSpec = PipelineByDigest & Partial<PipelineVersion>;

/** A version label (default: the next number, or the existing version of the same IR) and a description. */
export type UploadOptions = UploadPipelineQuery;

/** What to do when a scheduled run is due while the previous one still runs. */
export type { ScheduleOverlap as OverlapPolicy } from '@kiln/api-contract';

/** A schedule as the server describes it. */
export type { Schedule, ScheduleSummary } from '@kiln/api-contract';

/**
 * When and how a schedule starts runs (the body of `POST /schedules` but the
 * pipeline and its parameters; times may be `Date`s): an `id`, `cron`
 * expression(s) or an `interval` (`{ every: '1h' }`), the required
 * `catchupWindow`, and optionally `timezone` (UTC), `overlap` (SKIP),
 * `pauseOnFailure`, `paused`, `note`, `startAt`, `endAt`, and the run options.
 */
export type ScheduleSpecOptions = Omit<CreateScheduleBody, 'pipeline' | 'params' | 'startAt' | 'endAt'> & {
  startAt?: Date | string;
  endAt?: Date | string;
};

/** The range of a backfill, [start, end), and its overlap policy (default ALLOW_ALL: every missed action runs). */
export type BackfillOptions = Omit<BackfillBody, 'start' | 'end'> & { start: Date | string; end: Date | string };

export type { ExperimentList, LoopIterationPage, RunEvent, RunsMetrics, Whoami } from '@kiln/api-contract';

/** Which iterations of a loop task to read: a state, and a page. */
export interface IterationOptions {
  state?: TaskState;
  /** 1-1000, default 50. */
  pageSize?: number;
  pageToken?: string;
}

/** How long a run's event stream lasts at most, and when to stop reading it. */
export interface RunEventsOptions {
  waitSeconds?: number;
  signal?: AbortSignal;
}
