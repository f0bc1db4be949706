/**
 * One step, start to finish: fetch inputs, resolve placeholders, run the
 * command (no shell), capture the exit code and log, publish outputs with their
 * digests, and write the executor-output record. Same code on a worker's host
 * (local executor) and, later, inside a pod.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ArtifactError, ArtifactExistsError, InvalidKeyError, UnsupportedStoreError, locate, type ArtifactStore } from '@kiln/artifacts';
import type { JsonValue } from '@kiln/ir';
import { LaunchError, configurationError } from './errors';
import { WorkLayout, executorOutputKey, logKey } from './layout';
import { readLogTail } from './log-tail';
import { parseParamText } from './param-values';
import { resolveCommand, type LocalInputs } from './placeholders';
import { runProcess, type LogListener, type ProcessOutcome } from './process';
import { preparePythonStep, readShimResult, type ShimResult } from './python/python-step';
import { ensurePython } from './python/venv';
import type { ExecutorOutput, LaunchArtifact, LaunchRequest } from './request';

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
}

/**
 * Runs one step and returns its executor-output record. Throws {@link LaunchError}
 * (with `failureType`, `reason`, `exitCode`, `logTail`, `logUri`) when it does
 * not succeed; the log is saved to the store either way.
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
  let recordKey: string;
  let logStoreKey: string;
  try {
    recordKey = executorOutputKey(request.executionKey);
    logStoreKey = logKey(request.executionKey);
  } catch (error) {
    throw configurationError(`executionKey ${JSON.stringify(request.executionKey)} cannot name store keys: ${(error as Error).message}`, 'InvalidExecutionKey');
  }
  await mkdir(layout.root, { recursive: true });
  const log = createWriteStream(layout.logFile, { flags: 'a' });
  const say = (line: string) => {
    log.write(`[kiln] ${line}\n`);
    options.onLog?.(`[kiln] ${line}`, 'launcher');
  };
  const startedAt = new Date().toISOString();
  const logUri = store.uriFor(logStoreKey);

  try {
    const impl = request.component.implementation;
    if (impl.type !== 'container' && impl.type !== 'python') {
      throw configurationError(`component "${request.component.name}" has a ${impl.type} implementation, which the launcher does not run`, 'NotRunnable');
    }
    say(`step ${request.executionKey}: component ${request.component.name} (${impl.type})`);
    // The local executor has no container runtime: the command runs on this host as it is.
    say(`image ${impl.image} is ignored: the command runs directly on this host`);

    options.onPhase?.('fetching-inputs');
    const localInputs = await fetchInputs(request, store, layout);
    await prepareOutputFolders(request, layout);

    options.onPhase?.('preparing');
    let argv: string[];
    if (impl.type === 'container') {
      const resolved = resolveCommand([...impl.command, ...(impl.args ?? [])], { request, layout, localInputs });
      for (const [path, content] of resolved.paramFiles) {
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, content);
      }
      argv = resolved.argv;
    } else {
      const python = await ensurePython(impl.packages, { python: options.python, log, onLog: options.onLog, signal: options.signal });
      argv = await preparePythonStep(impl, request, layout, localInputs, python);
    }
    say(`running ${JSON.stringify(argv)}`);

    options.onPhase?.('running');
    const outcome = await runProcess(argv, {
      cwd: layout.root,
      env: { ...process.env, ...request.env },
      log,
      onLog: options.onLog,
      onSpawn: options.onSpawn,
      signal: options.signal,
      timeoutSeconds: request.timeoutSeconds,
      graceMs: options.graceMs,
    });
    failUnlessSucceeded(outcome, request);
    say('command exited 0');

    options.onPhase?.('publishing-outputs');
    const shim = impl.type === 'python' ? await readShimResult(request, layout) : undefined;
    const params = shim ? shim.params : await readOutputParams(request, layout);
    const { artifacts, metrics } = await publishArtifacts(request, store, layout, shim);

    say('outputs published');
    await closeLog(log);
    await store.putPath(logStoreKey, layout.logFile);
    const record: ExecutorOutput = {
      executionKey: request.executionKey,
      exitCode: 0,
      startedAt,
      finishedAt: new Date().toISOString(),
      logUri,
      outputs: { params, artifacts },
      metrics,
    };
    try {
      await store.writeJson(recordKey, record, { ifAbsent: true });
    } catch (error) {
      // A concurrent run of the same attempt got there first: its record is the truth.
      if (error instanceof ArtifactExistsError) return store.readJson<ExecutorOutput>(recordKey);
      throw error;
    }
    return record;
  } catch (error) {
    const failure = classify(error);
    if (!log.closed) {
      log.write(`[kiln] step failed (${failure.failureType}, ${failure.reason}): ${failure.message}\n`);
      await closeLog(log);
    }
    failure.logTail = await readLogTail(layout.logFile);
    try {
      await store.putPath(logStoreKey, layout.logFile);
      failure.logUri = logUri;
    } catch {
      // The failure itself matters more than its log; the tail still travels in the error.
    }
    throw failure;
  }
}

function closeLog(log: WriteStream): Promise<void> {
  return new Promise((resolvePromise) => log.end(resolvePromise));
}

function classify(error: unknown): LaunchError {
  if (error instanceof LaunchError) return error;
  if (error instanceof InvalidKeyError || error instanceof UnsupportedStoreError) {
    return new LaunchError('configuration', error.name, error.message, { cause: error });
  }
  if (error instanceof ArtifactError) return new LaunchError('infrastructure', error.name, error.message, { cause: error });
  return new LaunchError('infrastructure', 'LauncherError', (error as Error)?.message ?? String(error), { cause: error });
}

async function fetchInputs(request: LaunchRequest, store: ArtifactStore, layout: WorkLayout): Promise<LocalInputs> {
  const local: LocalInputs = {};
  const fetchOne = async (name: string, artifact: LaunchArtifact, index?: number) => {
    const path = layout.inputArtifact(name, artifact.uri, index);
    const { store: source, key } = locate(artifact.uri, store);
    await source.getToPath(key, path);
    return path;
  };
  for (const [name, given] of Object.entries(request.inputs.artifacts)) {
    local[name] = Array.isArray(given)
      ? await Promise.all(given.map((a, i) => fetchOne(name, a, i)))
      : await fetchOne(name, given);
  }
  return local;
}

async function prepareOutputFolders(request: LaunchRequest, layout: WorkLayout): Promise<void> {
  // Commands write to these paths without creating folders first (KFP does the same).
  for (const [name, out] of Object.entries(request.outputs.artifacts)) {
    await mkdir(dirname(layout.outputArtifact(name, out.uri)), { recursive: true });
    await mkdir(dirname(layout.outputMetadataFile(name)), { recursive: true });
  }
  for (const name of Object.keys(request.outputs.params)) {
    await mkdir(dirname(layout.outputParamFile(name)), { recursive: true });
  }
}

function failUnlessSucceeded(outcome: ProcessOutcome, request: LaunchRequest): void {
  const code = { exitCode: outcome.exitCode };
  if (outcome.stoppedBy === 'cancel') throw new LaunchError('cancelled', 'Cancelled', 'the step was cancelled', code);
  if (outcome.stoppedBy === 'timeout') {
    throw new LaunchError('user', 'DeadlineExceeded', `the step ran longer than its timeout of ${request.timeoutSeconds} s and was stopped`, code);
  }
  if (outcome.spawnError) {
    throw new LaunchError('user', 'CommandNotFound', `cannot start the command: ${outcome.spawnError.message}`, code);
  }
  if (outcome.signal) {
    const hint = outcome.signal === 'SIGKILL' ? ' (often the out-of-memory killer)' : '';
    throw new LaunchError('user', `Signal:${outcome.signal}`, `the command was killed by ${outcome.signal}${hint}`, code);
  }
  if (outcome.exitCode !== 0) throw new LaunchError('user', 'NonZeroExit', `the command exited with code ${outcome.exitCode}`, code);
}

async function readOutputParams(request: LaunchRequest, layout: WorkLayout): Promise<Record<string, JsonValue>> {
  const params: Record<string, JsonValue> = {};
  for (const [name, type] of Object.entries(request.outputs.params)) {
    let text: string;
    try {
      text = await readFile(layout.outputParamFile(name), 'utf8');
    } catch {
      throw new LaunchError('user', 'MissingOutputParam', `output parameter "${name}" was not written to its outputPath`);
    }
    params[name] = parseParamText(name, type, text);
  }
  return params;
}

async function readMetadataFile(path: string, name: string): Promise<Record<string, JsonValue>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return {};
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new LaunchError('user', 'InvalidOutputMetadata', `the outputMetadata file of "${name}" is not JSON`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new LaunchError('user', 'InvalidOutputMetadata', `the outputMetadata file of "${name}" must hold a JSON object`);
  }
  return value as Record<string, JsonValue>;
}

async function publishArtifacts(
  request: LaunchRequest,
  store: ArtifactStore,
  layout: WorkLayout,
  shim: ShimResult | undefined,
): Promise<{ artifacts: Record<string, LaunchArtifact>; metrics: ExecutorOutput['metrics'] }> {
  const artifacts: Record<string, LaunchArtifact> = {};
  const metrics: ExecutorOutput['metrics'] = {};
  for (const [name, out] of Object.entries(request.outputs.artifacts)) {
    const path = layout.outputArtifact(name, out.uri);
    if (!(await stat(path).then(() => true, () => false))) {
      throw new LaunchError('user', 'MissingOutputArtifact', `output artifact "${name}" was not written at ${path}`);
    }
    const metadata = shim ? (shim.artifacts[name]?.metadata ?? {}) : await readMetadataFile(layout.outputMetadataFile(name), name);
    let key: string;
    try {
      key = store.keyOf(out.uri);
    } catch {
      throw configurationError(`output "${name}" goes to ${out.uri}, which is not in the store at ${store.url}`, 'OutputOutsideStore');
    }
    // Overwrite, not create: a retry of this same attempt after a crash re-publishes the same outputs.
    const stat_ = await store.putPath(key, path, { metadata });
    artifacts[name] = { uri: out.uri, type: out.type, digest: stat_.digest, metadata };
    if (out.type === 'metrics' || out.type === 'classificationMetrics') metrics[name] = metadata;
  }
  return { artifacts, metrics };
}
