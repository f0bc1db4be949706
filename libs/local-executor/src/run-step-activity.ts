/**
 * `runStep` for the local executor: one attempt of one step through the launcher
 * (in the worker's process by default, or as a child process), the user's
 * command always in its own process group; with heartbeats, cancellation and
 * idempotence across worker crashes.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, rm, rmdir, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Context } from '@temporalio/activity';
import { CancelledFailure } from '@temporalio/common';
import { ArtifactNotFoundError, StoreRecordError, type ArtifactStore } from '@kiln/artifacts';
import { stepFailure, type LegacyStepRequest, type StepRequest, type StepResult } from '@kiln/engine-contract';
import {
  type ExecutorOutput,
  toLaunchRequest,
  type LaunchPhase,
  type LauncherEvent,
  type LauncherOutcome,
  type ProcessSpawner,
  toStepFailure,
  WorkLayout,
} from '@kiln/launcher';
import { executorOutputKey, executorOutputSchema, locateStep, type LocatedStep } from '@kiln/store-layout';
import type { ActivityLogger } from '@kiln/store-activities';
import { keepEarlierTryLog } from './earlier-try-log';
import { groupLeader, stopOrphanedGroups, type GroupLeader } from './orphans';
import { runStepInProcess } from './step-in-process';
import { runStepProcess } from './step-process';
import { killWithWorker } from './watchdog';

/** Where the launcher runs: in the worker's process, or as a CLI child process started with `command` in `cwd`. */
export type LauncherPlacement =
  { mode: 'in-process'; spawner?: ProcessSpawner } | { mode: 'process'; command: string[]; cwd: string };

export interface RunStepDeps {
  store: ArtifactStore;
  workRoot: string;
  launcher: LauncherPlacement;
  heartbeatMs: number;
  graceMs: number;
  logCapBytes?: number;
  log?: ActivityLogger;
}

/**
 * What each heartbeat carries: enough for the Temporal UI to show where a step is, and for a retry
 * after a worker crash to find the process groups the dead worker left running (`host`, the pids
 * and their start times; see `stopOrphanedGroups`).
 */
export interface StepHeartbeat {
  phase: LaunchPhase | 'starting';
  elapsedSeconds: number;
  logLines: number;
  lastLine?: string;
  /** The worker's host (`os.hostname()`): processes can be stopped only from there. */
  host: string;
  /** The step command's pid (= its process group id), once spawned. */
  pid?: number;
  /** The command's start time in clock ticks since boot (Linux `/proc/<pid>/stat`), so a recycled pid is never taken for it. */
  pidStartTime?: string;
  /** In `'process'` mode, the launcher's pid (= its process group id) and start time. */
  launcherPid?: number;
  launcherStartTime?: string;
  /** The attempt's log file in its work folder on `host`: a retry after a worker crash keeps it as the earlier try's log. */
  logFile?: string;
}

/** The process groups a previous try's last heartbeat (`info.heartbeatDetails`) names; empty for anything else. */
function previousGroups(details: unknown): { host?: string; logFile?: string; groups: GroupLeader[] } {
  if (typeof details !== 'object' || details === null) return { groups: [] };
  const beat = details as Partial<Record<keyof StepHeartbeat, unknown>>;
  const leader = (pid: unknown, startTime: unknown): GroupLeader[] =>
    typeof pid === 'number' ? [{ pid, ...(typeof startTime === 'string' && { startTime }) }] : [];
  return {
    ...(typeof beat.host === 'string' && { host: beat.host }),
    ...(typeof beat.logFile === 'string' && { logFile: beat.logFile }),
    // The launcher first: stopped, it cannot report the step's death or touch the store any more.
    groups: [...leader(beat.launcherPid, beat.launcherStartTime), ...leader(beat.pid, beat.pidStartTime)],
  };
}

/** The engine's view of an executor-output record. */
export function toStepResult(output: ExecutorOutput): StepResult {
  return {
    exitCode: output.exitCode,
    outputs: output.outputs,
    startedAt: output.startedAt,
    finishedAt: output.finishedAt,
    logUri: output.logUri,
    executor: 'local',
  };
}

async function existingOutput(store: ArtifactStore, executionKey: string): Promise<ExecutorOutput | undefined> {
  try {
    return await store.readJson(executorOutputKey(executionKey), executorOutputSchema);
  } catch (error) {
    if (error instanceof ArtifactNotFoundError) return undefined;
    // A malformed record reads the same on every try: the attempt fails for good, naming the key.
    if (error instanceof StoreRecordError)
      throw stepFailure({ failureClass: 'configuration', reason: 'InvalidStoreRecord', message: error.message });
    throw error;
  }
}

/** How long a step runs before its first heartbeat: a no-op step should cost no heartbeat call at all. */
export const FIRST_HEARTBEAT_MS = 250;

/** Runs one step attempt; see `KilnActivities.runStep` for the contract. */
export async function runStepActivity(
  deps: RunStepDeps,
  request: StepRequest | LegacyStepRequest,
): Promise<StepResult> {
  // The execution key and output URIs, derived from the attempt's identity (or as an older history recorded them).
  const req = locateStep(request);
  const ctx = Context.current();
  // Temporal's count of this activity's tries: every execution of this attempt, one lost with its worker included.
  const tries = ctx.info.attempt;
  // A worker that crashed after the step succeeded leaves the record behind: the attempt is done, do not run it again.
  const previous = await existingOutput(deps.store, req.executionKey);
  if (previous) {
    deps.log?.info('step already succeeded; returning its recorded output', { executionKey: req.executionKey });
    return { ...toStepResult(previous), tries };
  }

  if (tries > 1) {
    // A try before this one may have died with its worker and left the step running here: stop it before it runs twice.
    const earlier = previousGroups(ctx.info.heartbeatDetails);
    stopOrphanedGroups(earlier, deps.log, { executionKey: req.executionKey });
    await keepEarlierTryLog(deps.store, req.executionKey, { ...earlier, tryNumber: tries - 1 }, deps.log);
  }

  const dir = join(deps.workRoot, `${req.executionKey.replace(/[^A-Za-z0-9._-]+/g, '_')}-${randomUUID().slice(0, 8)}`);
  const workDir = join(dir, 'work');
  const progress = new StepProgress(ctx, deps, req.executionKey, new WorkLayout(workDir).logFile);
  let outcome: LauncherOutcome;
  try {
    outcome = await launch(deps, req, { dir, workDir, progress, signal: ctx.cancellationSignal });
  } finally {
    progress.stop();
  }

  if (outcome.ok) {
    // Off the step's critical path: the folder is this attempt's own (a random suffix), nothing reads it
    // once the outputs are in the store, and a folder left by a worker stopping meanwhile is only disk.
    removeStepFolder(dir, workDir, deps.launcher.mode).catch((error: unknown) =>
      deps.log?.warn('could not remove a finished step work folder', { dir, error: String(error) }),
    );
    return { ...toStepResult(outcome.output), tries };
  }
  // Failed work folders stay for a look; the log is in the store either way.
  deps.log?.warn('step failed', { executionKey: req.executionKey, reason: outcome.failure.reason, workDir });
  if (ctx.cancellationSignal.aborted) {
    throw new CancelledFailure(`step ${req.summary} cancelled: ${outcome.failure.message}`);
  }
  throw stepFailure({ ...toStepFailure(outcome.failure), tries });
}

/**
 * Removes a finished attempt's folder. A step that leaves only its log (no outputs, nothing of its own)
 * costs three calls this way: the known files unlinked, the two folders removed. Anything else there
 * makes a `rmdir` fail, and a recursive `rm` takes the rest, which for the same small folder costs about
 * ten calls, each a trip through libuv's thread pool on the worker's event loop.
 */
async function removeStepFolder(dir: string, workDir: string, mode: RunStepDeps['launcher']['mode']): Promise<void> {
  const launcherFiles = mode === 'process' ? [REQUEST_FILE, RESULT_FILE].map((name) => join(dir, name)) : [];
  try {
    await Promise.all([new WorkLayout(workDir).logFile, ...launcherFiles].map((file) => unlink(file)));
    await rmdir(workDir);
    await rmdir(dir);
  } catch {
    await rm(dir, { recursive: true, force: true });
  }
}

/** What the worker writes for a launcher child process (`launcherMode: 'process'`), and what it writes back. */
const REQUEST_FILE = 'request.json';
const RESULT_FILE = 'result.json';

/**
 * The attempt's progress, heartbeated on a timer (a quiet step still proves the worker is alive),
 * and the process groups it started, each under the worker's watchdog until it has ended.
 */
class StepProgress {
  private readonly started = Date.now();
  private readonly beat: StepHeartbeat;
  private timer: NodeJS.Timeout;
  private firstBeatDone = false;
  private readonly releases: (() => void)[] = [];

  constructor(
    private readonly ctx: Context,
    private readonly deps: RunStepDeps,
    private readonly executionKey: string,
    logFile: string,
  ) {
    this.beat = { phase: 'starting', elapsedSeconds: 0, logLines: 0, host: hostname(), logFile };
    // A step shorter than the first beat makes no heartbeat call at all; a longer one beats on the interval.
    this.timer = setTimeout(
      () => {
        this.firstBeatDone = true;
        this.heartbeat();
        this.timer = setInterval(() => this.heartbeat(), deps.heartbeatMs);
      },
      Math.min(FIRST_HEARTBEAT_MS, deps.heartbeatMs),
    );
  }

  /** A process group was started: report it now, unless the first beat is still to come (it will carry it). */
  private processStarted(): void {
    if (this.firstBeatDone) this.heartbeat();
  }

  /** What the launcher reports: phases, the command's pid, log lines. */
  readonly onEvent = (event: LauncherEvent): void => {
    if (event.event === 'phase') this.beat.phase = event.phase;
    else if (event.event === 'spawned') {
      // A group the spawn helper started dies with the worker already (the helper sees its channel close).
      const { launcher } = this.deps;
      if (!(launcher.mode === 'in-process' && launcher.spawner?.guards?.(event.pid))) {
        this.releases.push(killWithWorker(event.pid));
      }
      const { pid, startTime } = groupLeader(event.pid);
      this.beat.pid = pid;
      if (startTime !== undefined) this.beat.pidStartTime = startTime;
      this.processStarted();
    } else {
      this.beat.logLines++;
      this.beat.lastLine = event.line.slice(0, 200);
      this.deps.log?.debug(event.line, { executionKey: this.executionKey, stream: event.stream });
    }
  };

  /** In `'process'` mode: the launcher process, its own process group. */
  readonly onLauncherSpawn = (launcherPid: number): void => {
    this.releases.push(killWithWorker(launcherPid));
    const { startTime } = groupLeader(launcherPid);
    this.beat.launcherPid = launcherPid;
    if (startTime !== undefined) this.beat.launcherStartTime = startTime;
    this.processStarted();
  };

  /** The attempt has ended: no more heartbeats, and its (ended) groups leave the watchdog. */
  stop(): void {
    clearTimeout(this.timer);
    clearInterval(this.timer);
    for (const release of this.releases.splice(0)) release();
  }

  private heartbeat(): void {
    this.ctx.heartbeat({ ...this.beat, elapsedSeconds: Math.round((Date.now() - this.started) / 1000) });
  }
}

/** Runs the launcher, in this process or as a child process, and returns how the step ended. */
async function launch(
  deps: RunStepDeps,
  req: LocatedStep,
  o: { dir: string; workDir: string; progress: StepProgress; signal: AbortSignal },
): Promise<LauncherOutcome> {
  const common = {
    signal: o.signal,
    graceMs: deps.graceMs,
    onEvent: o.progress.onEvent,
    ...(deps.logCapBytes !== undefined && { logCapBytes: deps.logCapBytes }),
  };
  const { launcher } = deps;
  if (launcher.mode === 'in-process') {
    return runStepInProcess({
      request: toLaunchRequest(req),
      store: deps.store,
      workDir: o.workDir,
      ...(launcher.spawner && { spawner: launcher.spawner }),
      ...common,
    });
  }
  await mkdir(o.dir, { recursive: true });
  const requestFile = join(o.dir, REQUEST_FILE);
  const resultFile = join(o.dir, RESULT_FILE);
  await writeFile(requestFile, JSON.stringify(toLaunchRequest(req)));
  return runStepProcess({
    command: launcher.command,
    cwd: launcher.cwd,
    args: [
      ...['--request', requestFile, '--store', deps.store.url, '--work-dir', o.workDir, '--result', resultFile],
      ...(deps.logCapBytes !== undefined ? ['--log-cap-bytes', String(deps.logCapBytes)] : []),
    ],
    resultFile,
    onLauncherSpawn: o.progress.onLauncherSpawn,
    ...common,
  });
}
