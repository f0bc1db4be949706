/**
 * One step, start to finish, composed of the exported phases: fetch inputs
 * ({@link fetchInputs}), resolve the command ({@link resolveStepCommand}), run
 * it without a shell ({@link runStepCommand}), publish the outputs with their
 * digests ({@link publishOutputs}) and write the executor-output record
 * ({@link writeExecutorOutput}). The local executor runs it on the worker's
 * host; a pod runs the same phases split over its containers.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { validateKey, type ArtifactStore } from '@kiln/artifacts';
import { stepLogKey } from '@kiln/store-layout';
import { LaunchError, asLaunchError, configurationError } from './errors';
import { WorkLayout } from './layout';
import { LiveLog } from './live-log';
import { readLogTail } from './log-tail';
import { fetchInputs } from './phases/fetch';
import { publishOutputs, writeExecutorOutput } from './phases/publish';
import { resolveStepCommand, writeStepFiles } from './phases/resolve';
import { runStepCommand } from './phases/run';
import type { LogListener } from './process';
import { ensurePython } from './python/venv';
import type { ExecutorOutput, LaunchRequest } from './request';

/** What the step is doing, for progress reports (heartbeats). */
export type LaunchPhase = 'fetching-inputs' | 'preparing' | 'running' | 'publishing-outputs';

export interface RunStepOptions {
  store: ArtifactStore;
  /** An empty (or new) folder for this attempt: inputs, outputs and the log go here. */
  workDir: string;
  /** Abort to cancel: the command's process group gets SIGTERM, then SIGKILL after `graceMs`. */
  signal?: AbortSignal;
  onLog?: LogListener;
  /** The command's pid (= its process group id), once spawned. */
  onSpawn?: (pid: number) => void;
  onPhase?: (phase: LaunchPhase) => void;
  /** Base Python interpreter for python components. Default `$KILN_PYTHON` or `python3`. */
  python?: string;
  graceMs?: number;
  /**
   * How often the step log's growth is put into the store while the step runs,
   * as live chunks (`executions/<executionKey>/log.live/…`, see `LiveLog`) for
   * `kiln runs logs --follow`. Default 1000 ms; `false` sends none.
   */
  liveLogIntervalMs?: number | false;
}

/**
 * Runs one step and returns its executor-output record. Throws {@link LaunchError}
 * (with `failureType`, `reason`, `exitCode`, `logTail`, `logUri`) when it does
 * not succeed; the log is saved to the store either way. While the step runs,
 * its log also goes to the store in live chunks (`liveLogIntervalMs`), removed
 * once the whole log is saved.
 *
 * @example
 * ```ts
 * const output = await runStep(request, { store, workDir: '/tmp/kiln/step-1', onLog: (line) => console.log(line) });
 * output.outputs.params.accuracy; // 0.93
 * output.outputs.artifacts.model.digest; // 'sha256:…'
 * ```
 */
export async function runStep(request: LaunchRequest, options: RunStepOptions): Promise<ExecutorOutput> {
  const { store } = options;
  const layout = new WorkLayout(options.workDir);
  let logStoreKey: string;
  try {
    // The record's key shares this prefix, so it is valid too.
    logStoreKey = validateKey(stepLogKey(request.executionKey));
  } catch (error) {
    throw configurationError(
      `executionKey ${JSON.stringify(request.executionKey)} cannot name store keys: ${(error as Error).message}`,
      'InvalidExecutionKey',
    );
  }
  const liveLogIntervalMs = options.liveLogIntervalMs;
  // Checked before the log is opened: a bad option must not leave the stream open behind a plain RangeError.
  if (
    liveLogIntervalMs !== undefined &&
    liveLogIntervalMs !== false &&
    !(Number.isFinite(liveLogIntervalMs) && liveLogIntervalMs > 0)
  ) {
    throw configurationError(
      `liveLogIntervalMs must be a positive number of ms or false, got ${String(liveLogIntervalMs)}`,
      'InvalidOption',
    );
  }
  await mkdir(layout.root, { recursive: true });
  const log = createWriteStream(layout.logFile, { flags: 'a' });
  // The launcher may run inside the worker: a log that cannot be written (full disk, too many open
  // files, the folder gone) must fail this step as an infrastructure error, never crash the process.
  let logWriteError: Error | undefined;
  log.on('error', (error) => {
    logWriteError ??= error;
  });
  const checkLog = () => {
    if (logWriteError) {
      throw new LaunchError(
        'infrastructure',
        'LogWriteFailed',
        `cannot write the step log ${layout.logFile}: ${logWriteError.message}`,
        { cause: logWriteError },
      );
    }
  };
  const say = (line: string) => {
    if (log.writable) log.write(`[kiln] ${line}\n`);
    options.onLog?.(`[kiln] ${line}`, 'launcher');
  };
  const startedAt = new Date().toISOString();
  const logUri = store.uriFor(logStoreKey);
  const live =
    liveLogIntervalMs === false
      ? undefined
      : new LiveLog({
          store,
          executionKey: request.executionKey,
          file: layout.logFile,
          intervalMs: liveLogIntervalMs,
          // Into the step's own log, where someone following it sees why it went quiet; never after it is closed.
          onTrouble: (message) => log.writable && say(message),
        });
  live?.start();

  // The phases before the command do not watch the signal themselves (a fetch runs to its end): a step
  // cancelled meanwhile must stop at the next phase and never start the command.
  const checkCancelled = () => {
    if (options.signal?.aborted) throw new LaunchError('cancelled', 'Cancelled', 'the step was cancelled');
  };

  try {
    checkCancelled();
    const impl = request.component.implementation;
    if (impl.type !== 'container' && impl.type !== 'python') {
      throw configurationError(
        `component "${request.component.name}" has a ${impl.type} implementation, which the launcher does not run`,
        'NotRunnable',
      );
    }
    say(`step ${request.executionKey}: component ${request.component.name} (${impl.type})`);
    // The local executor has no container runtime: the command runs on this host as it is.
    say(`image ${impl.image} is ignored: the command runs directly on this host`);

    options.onPhase?.('fetching-inputs');
    const localInputs = await fetchInputs(request, store, layout);

    checkCancelled();
    options.onPhase?.('preparing');
    const python =
      impl.type === 'python'
        ? await ensurePython(impl.packages, {
            python: options.python,
            log,
            onLog: options.onLog,
            signal: options.signal,
          })
        : undefined;
    const command = resolveStepCommand(request, layout, localInputs, { python });
    await writeStepFiles(command);
    checkCancelled();
    say(`running ${JSON.stringify(command.argv)}`);

    options.onPhase?.('running');
    await runStepCommand(command.argv, {
      cwd: layout.root,
      env: { ...process.env, ...request.env },
      log,
      onLog: options.onLog,
      onSpawn: options.onSpawn,
      signal: options.signal,
      timeoutSeconds: request.timeoutSeconds,
      graceMs: options.graceMs,
    });
    say('command exited 0');
    checkLog();

    options.onPhase?.('publishing-outputs');
    const published = await publishOutputs(request, store, layout);

    say('outputs published');
    // No chunk may land after the saved log: readers switch to it once it exists.
    await live?.stop();
    await closeLog(log);
    checkLog();
    await store.putPath(logStoreKey, layout.logFile);
    await live?.discard();
    return await writeExecutorOutput(store, {
      executionKey: request.executionKey,
      exitCode: 0,
      startedAt,
      finishedAt: new Date().toISOString(),
      logUri,
      ...published,
    });
  } catch (error) {
    const failure = asLaunchError(error);
    await live?.stop();
    if (log.writable) log.write(`[kiln] step failed (${failure.failureType}, ${failure.reason}): ${failure.message}\n`);
    await closeLog(log);
    // An unreadable log must not hide the failure itself.
    const tail = await readLogTail(layout.logFile).catch(() => undefined);
    if (tail !== undefined) failure.logTail = tail;
    try {
      await store.putPath(logStoreKey, layout.logFile);
      failure.logUri = logUri;
      await live?.discard();
    } catch {
      // The failure itself matters more than its log; the tail still travels in the error.
    }
    throw failure;
  }
}

/** Ends the log stream; settles also when the stream has failed or is already closed. */
function closeLog(log: WriteStream): Promise<void> {
  if (log.destroyed || log.closed) return Promise.resolve();
  return new Promise((resolvePromise) => {
    log.once('error', () => resolvePromise());
    log.end(() => resolvePromise());
  });
}
