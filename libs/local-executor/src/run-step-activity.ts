/**
 * `runStep` for the local executor: one attempt of one step through the launcher
 * (in the worker's process by default, or as a child process), the user's
 * command always in its own process group; with heartbeats, cancellation and
 * idempotence across worker crashes.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
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
  toStepFailure,
} from '@kiln/launcher';
import { executorOutputKey, executorOutputSchema, locateStep } from '@kiln/store-layout';
import type { ActivityLogger } from '@kiln/store-activities';
import { groupLeader, stopOrphanedGroups, type GroupLeader } from './orphans';
import { runStepInProcess } from './step-in-process';
import { runStepProcess } from './step-process';

/** Where the launcher runs: in the worker's process, or as a CLI child process started with `command` in `cwd`. */
export type LauncherPlacement = { mode: 'in-process' } | { mode: 'process'; command: string[]; cwd: string };

export interface RunStepDeps {
  store: ArtifactStore;
  workRoot: string;
  launcher: LauncherPlacement;
  heartbeatMs: number;
  graceMs: number;
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
}

/** The process groups a previous try's last heartbeat (`info.heartbeatDetails`) names; empty for anything else. */
function previousGroups(details: unknown): { host?: string; groups: GroupLeader[] } {
  if (typeof details !== 'object' || details === null) return { groups: [] };
  const beat = details as Partial<Record<keyof StepHeartbeat, unknown>>;
  const leader = (pid: unknown, startTime: unknown): GroupLeader[] =>
    typeof pid === 'number' ? [{ pid, ...(typeof startTime === 'string' && { startTime }) }] : [];
  return {
    ...(typeof beat.host === 'string' && { host: beat.host }),
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

/**
 * The attempt's heartbeats, on a timer (a quiet step still proves the worker is alive). The first waits
 * {@link FIRST_HEARTBEAT_MS} (a short step ends before it, sparing a call to the server per step), then one
 * every `intervalMs`; once a process group exists, a beat goes out as soon as that first wait is over, so a
 * retry after a worker crash learns its pid early (`stopOrphanedGroups`).
 */
function startHeartbeats(ctx: Context, progress: StepHeartbeat, started: number, intervalMs: number) {
  const beat = () => ctx.heartbeat({ ...progress, elapsedSeconds: Math.round((Date.now() - started) / 1000) });
  let firstDone = false;
  let interval: NodeJS.Timeout | undefined;
  const first = setTimeout(
    () => {
      firstDone = true;
      beat();
      interval = setInterval(beat, intervalMs);
    },
    Math.min(FIRST_HEARTBEAT_MS, intervalMs),
  );
  return {
    /** A process group was started: report it now, unless the first beat is still to come (it will carry it). */
    processStarted: () => {
      if (firstDone) beat();
    },
    stop: () => {
      clearTimeout(first);
      clearInterval(interval);
    },
  };
}

/** Runs one step attempt; see `KilnActivities.runStep` for the contract. */
export async function runStepActivity(
  deps: RunStepDeps,
  request: StepRequest | LegacyStepRequest,
): Promise<StepResult> {
  // The execution key and output URIs, derived from the attempt's identity (or as an older history recorded them).
  const req = locateStep(request);
  const ctx = Context.current();
  // A worker that crashed after the step succeeded leaves the record behind: the attempt is done, do not run it again.
  const previous = await existingOutput(deps.store, req.executionKey);
  if (previous) {
    deps.log?.info('step already succeeded; returning its recorded output', { executionKey: req.executionKey });
    return toStepResult(previous);
  }

  // A try before this one may have died with its worker and left the step running here: stop it before it runs twice.
  stopOrphanedGroups(previousGroups(ctx.info.heartbeatDetails), deps.log, { executionKey: req.executionKey });

  const dir = join(deps.workRoot, `${req.executionKey.replace(/[^A-Za-z0-9._-]+/g, '_')}-${randomUUID().slice(0, 8)}`);
  const workDir = join(dir, 'work');

  const started = Date.now();
  const progress: StepHeartbeat = { phase: 'starting', elapsedSeconds: 0, logLines: 0, host: hostname() };
  const heartbeats = startHeartbeats(ctx, progress, started, deps.heartbeatMs);
  const onEvent = (event: LauncherEvent) => {
    if (event.event === 'phase') progress.phase = event.phase;
    else if (event.event === 'spawned') {
      const { pid, startTime } = groupLeader(event.pid);
      progress.pid = pid;
      if (startTime !== undefined) progress.pidStartTime = startTime;
      heartbeats.processStarted();
    } else {
      progress.logLines++;
      progress.lastLine = event.line.slice(0, 200);
      deps.log?.debug(event.line, { executionKey: req.executionKey, stream: event.stream });
    }
  };
  let outcome: LauncherOutcome;
  try {
    const { launcher } = deps;
    const common = { signal: ctx.cancellationSignal, graceMs: deps.graceMs, onEvent };
    if (launcher.mode === 'in-process') {
      outcome = await runStepInProcess({ request: toLaunchRequest(req), store: deps.store, workDir, ...common });
    } else {
      await mkdir(dir, { recursive: true });
      const requestFile = join(dir, 'request.json');
      const resultFile = join(dir, 'result.json');
      await writeFile(requestFile, JSON.stringify(toLaunchRequest(req)));
      outcome = await runStepProcess({
        command: launcher.command,
        cwd: launcher.cwd,
        args: ['--request', requestFile, '--store', deps.store.url, '--work-dir', workDir, '--result', resultFile],
        resultFile,
        onLauncherSpawn: (launcherPid) => {
          const { startTime } = groupLeader(launcherPid);
          progress.launcherPid = launcherPid;
          if (startTime !== undefined) progress.launcherStartTime = startTime;
          heartbeats.processStarted();
        },
        ...common,
      });
    }
  } finally {
    heartbeats.stop();
  }

  if (outcome.ok) {
    // Off the step's critical path: the folder is this attempt's own (a random suffix), nothing reads it
    // once the outputs are in the store, and a folder left by a worker stopping meanwhile is only disk.
    rm(dir, { recursive: true, force: true }).catch((error: unknown) =>
      deps.log?.warn('could not remove a finished step work folder', { dir, error: String(error) }),
    );
    return toStepResult(outcome.output);
  }
  // Failed work folders stay for a look; the log is in the store either way.
  deps.log?.warn('step failed', { executionKey: req.executionKey, reason: outcome.failure.reason, workDir });
  if (ctx.cancellationSignal.aborted) {
    throw new CancelledFailure(`step ${req.summary} cancelled: ${outcome.failure.message}`);
  }
  throw stepFailure(toStepFailure(outcome.failure));
}
