/**
 * The launcher runs one step: it fetches the input artifacts into a work
 * folder, resolves the command's placeholders, runs the command WITHOUT a shell
 * (argv straight to the process), captures exit code and log, publishes the
 * output artifacts with sha256 digests, and writes the executor-output record
 * to the store under `executions/<executionKey>/`. Python components run through
 * a small shim (`python/kiln_shim.py`) in a cached virtualenv per package set.
 *
 * The same code runs in-process ({@link runStep}), as a child process
 * (`src/cli.ts`, what the local executor does) and, later, inside a pod.
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
export type { LaunchRequest, LaunchArtifact, ExecutorOutput, StepIdentity } from './request';
export { runStep, type RunStepOptions, type LaunchPhase } from './run-step';
export { LaunchError, type LaunchFailureType } from './errors';
export { resolveCommand, formatValue, type PlaceholderContext, type ResolvedCommand, type LocalInputs } from './placeholders';
export { parseParamText, checkParamValue } from './param-values';
export { WorkLayout, executionPrefix, executorOutputKey, logKey } from './layout';
export { runProcess, killGroup, type LogListener, type LogStream, type ProcessOutcome, type RunProcessOptions } from './process';
export { ensurePython, kilnCacheDir } from './python/venv';
export { readLogTail } from './log-tail';
export { launcherDir, launcherCliPath, pythonShimPath } from './paths';
export type { LauncherEvent, LauncherOutcome, LaunchFailure } from './cli-protocol';
export { launcherBundleCommand } from './bundle';
