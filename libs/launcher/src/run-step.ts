/**
 * One step, start to finish, composed of the exported phases: fetch inputs
 * ({@link fetchInputs}), resolve the command ({@link resolveStepCommand}), run
 * it without a shell ({@link runStepCommand}), publish the outputs with their
 * digests ({@link publishOutputs}) and write the executor-output record
 * ({@link writeExecutorOutput}). The local executor runs it on the worker's
 * host; a pod runs the same phases split over its containers.
 */
import { validateKey, type ArtifactStore } from '@kiln/artifacts';
import { stepLogKey } from '@kiln/store-layout';
import { delimiter, dirname } from 'node:path';
import { LaunchError, asLaunchError, configurationError } from './errors';
import { kfpBootstrapOf, prepareLocalBootstrap, type LocalBootstrap } from './kfp/bootstrap';
import { WorkLayout } from './layout';
import { fetchInputs } from './phases/fetch';
import { publishOutputs, writeExecutorOutput } from './phases/publish';
import { resolveStepCommand, writeStepFiles } from './phases/resolve';
import { runStepCommand } from './phases/run';
import type { LogListener, ProcessSpawner } from './process';
import { ensurePython } from './python/venv';
import type { ExecutorOutput, LaunchRequest } from './request';
import { stepEnvironment } from './step-env';
import { checkLogCap } from './log-cap';
import { StepLog } from './step-log';

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
  /** The cap on the command's output in this attempt's log: its first and last halves are kept. Default 16 MiB. */
  logCapBytes?: number;
  /** Who starts the command (default: this process). A long-lived worker passes its `SpawnHelper`. */
  spawner?: ProcessSpawner;
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
  const storeKey = validLogKey(request.executionKey);
  // Checked before the log is opened: a bad option must not leave the stream open behind a plain RangeError.
  checkLiveLogInterval(options.liveLogIntervalMs);
  if (options.logCapBytes !== undefined) checkOption(() => checkLogCap(options.logCapBytes ?? 0, 'logCapBytes'));
  const layout = new WorkLayout(options.workDir);
  const log = await StepLog.open({
    store: options.store,
    layout,
    executionKey: request.executionKey,
    storeKey,
    ...(options.liveLogIntervalMs !== undefined && { liveLogIntervalMs: options.liveLogIntervalMs }),
    ...(options.onLog && { onLog: options.onLog }),
    ...(options.logCapBytes !== undefined && { logCapBytes: options.logCapBytes }),
  });
  try {
    return await runPhases(request, options, layout, log);
  } catch (error) {
    const failure = asLaunchError(error);
    await log.saveFailed(failure);
    throw failure;
  }
}

/** The store key of the step's log; an execution key that cannot name store keys is a configuration error. */
function validLogKey(executionKey: string): string {
  try {
    // The record's key shares this prefix, so it is valid too.
    return validateKey(stepLogKey(executionKey));
  } catch (error) {
    throw configurationError(
      `executionKey ${JSON.stringify(executionKey)} cannot name store keys: ${error instanceof Error ? error.message : String(error)}`,
      'InvalidExecutionKey',
    );
  }
}

/** A RangeError from an option check becomes a configuration error of the step. */
function checkOption(check: () => unknown): void {
  try {
    check();
  } catch (error) {
    throw configurationError(error instanceof Error ? error.message : String(error), 'InvalidOption');
  }
}

function checkLiveLogInterval(intervalMs: number | false | undefined): void {
  if (intervalMs === undefined || intervalMs === false || (Number.isFinite(intervalMs) && intervalMs > 0)) return;
  throw configurationError(
    `liveLogIntervalMs must be a positive number of ms or false, got ${String(intervalMs)}`,
    'InvalidOption',
  );
}

/**
 * The phases before the command do not watch the signal themselves (a fetch runs to its end): a step
 * cancelled meanwhile must stop at the next phase and never start the command.
 */
function checkCancelled(options: RunStepOptions): void {
  if (options.signal?.aborted) throw new LaunchError('cancelled', 'Cancelled', 'the step was cancelled');
}

/** Fetch, prepare, run, publish, record: the step from its inputs to its executor-output record. */
async function runPhases(
  request: LaunchRequest,
  options: RunStepOptions,
  layout: WorkLayout,
  log: StepLog,
): Promise<ExecutorOutput> {
  const startedAt = new Date().toISOString();
  checkCancelled(options);
  const { argv, path } = await prepareCommand(request, options, layout, log);
  log.say(`running ${JSON.stringify(argv)}`);

  options.onPhase?.('running');
  try {
    await runStepCommand(argv, {
      cwd: layout.root,
      env: stepEnvironment(process.env, request.env, path !== undefined ? { PATH: path } : {}),
      log: log.commandOutput,
      onLog: options.onLog,
      onSpawn: options.onSpawn,
      signal: options.signal,
      timeoutSeconds: request.timeoutSeconds,
      graceMs: options.graceMs,
      spawner: options.spawner,
    });
  } finally {
    log.endCommandOutput();
  }
  log.say('command exited 0');
  log.check();

  options.onPhase?.('publishing-outputs');
  const published = await publishOutputs(request, options.store, layout);
  log.say('outputs published');
  await log.saveSucceeded();
  return await writeExecutorOutput(options.store, {
    executionKey: request.executionKey,
    exitCode: 0,
    startedAt,
    finishedAt: new Date().toISOString(),
    logUri: log.uri,
    ...published,
  });
}

/** Fetches the inputs and resolves the command (with its Python environment): the argv to run, and its PATH when it needs its own. */
async function prepareCommand(
  request: LaunchRequest,
  options: RunStepOptions,
  layout: WorkLayout,
  log: StepLog,
): Promise<{ argv: string[]; path?: string }> {
  const impl = request.component.implementation;
  if (impl.type !== 'container' && impl.type !== 'python') {
    throw configurationError(
      `component "${request.component.name}" has a ${impl.type} implementation, which the launcher does not run`,
      'NotRunnable',
    );
  }
  log.say(`step ${request.executionKey}: component ${request.component.name} (${impl.type})`);
  // The local executor has no container runtime: the command runs on this host as it is.
  log.say(`image ${impl.image} is ignored: the command runs directly on this host`);

  options.onPhase?.('fetching-inputs');
  // `StepLog.open` made the work folder.
  const localInputs = await fetchInputs(request, options.store, layout, { workFolderExists: true });

  checkCancelled(options);
  options.onPhase?.('preparing');
  const python =
    impl.type === 'python'
      ? await ensurePython(impl.packages, {
          python: options.python,
          log: log.stream,
          onLog: options.onLog,
          signal: options.signal,
        })
      : undefined;
  const bootstrap = await localKfpBootstrap(request, options, log);
  const command = resolveStepCommand(request, layout, localInputs, { python });
  await writeStepFiles(command);
  checkCancelled(options);
  if (!bootstrap) return { argv: command.argv };
  log.say(`KFP's pip install script is replaced by the virtualenv ${dirname(bootstrap.binDir)}`);
  const hostPath = request.env?.['PATH'] ?? process.env['PATH'] ?? '';
  return { argv: command.argv.slice(bootstrap.skip), path: `${bootstrap.binDir}${delimiter}${hostPath}` };
}

/** A KFP lightweight component's `pip install` script, done once into a cached virtualenv instead. */
async function localKfpBootstrap(
  request: LaunchRequest,
  options: RunStepOptions,
  log: StepLog,
): Promise<LocalBootstrap | undefined> {
  const bootstrap = kfpBootstrapOf(request.component);
  if (!bootstrap) return undefined;
  return prepareLocalBootstrap(bootstrap, {
    python: options.python,
    log: log.stream,
    onLog: options.onLog,
    signal: options.signal,
  });
}
