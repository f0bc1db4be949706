/**
 * The launcher runs one step: it fetches the input artifacts into a work
 * folder, resolves the command's placeholders, runs the command WITHOUT a shell
 * (argv straight to the process), captures exit code and log, publishes the
 * output artifacts with sha256 digests, and writes the executor-output record
 * to the store under `executions/<executionKey>/` (the keys and the records'
 * schemas are `@kiln/store-layout`'s). Python components run through a small
 * shim (`python/kiln_shim.py`) in a cached virtualenv per package set.
 *
 * The same code runs in-process ({@link runStep}), as a child process
 * (`src/cli.ts`, what the local executor does) and split over the containers
 * of a pod. `runStep` is the four phases in a row; each is exported for an
 * executor that runs them apart (the Kubernetes executor fetches and resolves
 * in an init container, runs the command in the user's image and publishes
 * from a sidecar):
 *
 * 1. {@link fetchInputs}: input artifacts into the work folder ({@link inputPaths}
 *    says where without touching anything), output folders created.
 * 2. {@link resolveStepCommand}: placeholders to argv plus the files the command
 *    reads ({@link writeStepFiles}); python components via {@link preparePythonStep}.
 * 3. {@link runStepCommand}: run it, classify how it ended.
 * 4. {@link publishOutputs} then {@link writeExecutorOutput}; python components'
 *    answers are read with {@link readShimResult}.
 *
 * @example
 * ```ts
 * import { runStep, LaunchError } from '@kiln/launcher';
 * import { openStore } from '@kiln/artifacts';
 *
 * const store = openStore('file:///tmp/kiln/artifacts');
 * try {
 *   const out = await runStep(request, { store, workDir: '/tmp/kiln/work/step-1', onLog: (l) => console.log(l) });
 *   console.log(out.outputs.params, out.outputs.artifacts);
 * } catch (error) {
 *   if (error instanceof LaunchError) console.error(error.failureType, error.reason, error.logTail);
 * }
 * ```
 *
 * @packageDocumentation
 */
export {
  toLaunchRequest,
  type LaunchRequest,
  type LaunchArtifact,
  type ExecutorOutput,
  type StepIdentity,
  type StepFields,
} from './request';
export { runStep, type RunStepOptions, type LaunchPhase } from './run-step';
export { LaunchError, asLaunchError } from './errors';
export { fetchInputs, inputPaths, outputFolders, createOutputFolders, type FetchOptions } from './phases/fetch';
export {
  resolveStepCommand,
  writeStepFiles,
  type ResolveOptions,
  type StepCommand,
  type StepFile,
} from './phases/resolve';
export { runStepCommand, type RunCommandOptions } from './phases/run';
export { publishOutputs, writeExecutorOutput, type PublishOptions, type PublishedOutputs } from './phases/publish';
export {
  preparePythonStep,
  readShimResult,
  type PythonImpl,
  type PythonSetup,
  type PythonStepOptions,
  type ShimResult,
} from './python/python-step';
export {
  resolveCommand,
  formatValue,
  type PlaceholderContext,
  type ResolvedCommand,
  type LocalInputs,
} from './placeholders';
export { parseParamText, checkParamValue } from './param-values';
export { outputLinkError } from './phases/output-links';
export { WorkLayout } from './layout';
export { stepEnvironment } from './step-env';
export { LogCap, checkLogCap, defaultLogCapBytes } from './log-cap';
export {
  runProcess,
  killGroup,
  directSpawner,
  SPAWN_HELPER_LOST,
  type ProcessSpawner,
  type SpawnedProcess,
  type LogListener,
  type LogStream,
  type LogSink,
  type ProcessOutcome,
  type RunProcessOptions,
} from './process';
export { SpawnHelper } from './spawn-helper';
export { ensurePython, ensureVirtualenv, kilnCacheDir } from './python/venv';
export {
  KfpMountLayout,
  kfpMountPath,
  kfpMountPrefixes,
  kfpRuntimeUri,
  kfpExecutorOutputFile,
} from './kfp/local-paths';
export {
  buildExecutorInput,
  kfpFinalStatus,
  type KfpExecutorInput,
  type KfpRuntimeArtifact,
} from './kfp/executor-input';
export { readKfpResults, type KfpResults } from './kfp/executor-output';
export { kfpBootstrapOf, prepareLocalBootstrap, podBootstrapCommand, type KfpPythonBootstrap } from './kfp/bootstrap';
export { readLogTail } from './log-tail';
export { LiveLog, type LiveLogOptions } from './live-log';
export { launcherDir, launcherCliPath, pythonShimPath } from './paths';
export {
  toLaunchFailure,
  toStepFailure,
  type LauncherEvent,
  type LauncherOutcome,
  type LaunchFailure,
} from './cli-protocol';
export { launcherBundleCommand, bundleProgram, writeAtomically, type BundleProgramOptions } from './bundle';
