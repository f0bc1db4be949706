/**
 * `@kiln/launcher/light`: the launcher's parts that load no artifact store
 * client and no IR beyond a step's component (`@kiln/ir/light`), for the in-pod
 * launcher's start, which is on every step's path: preparing the work folder
 * of a step with no input artifacts, resolving its command, publishing a step
 * without output artifacts and writing its executor-output record through a
 * `RecordStore`. The full store (`fetchInputs`, uploads) stays in
 * `@kiln/launcher`.
 *
 * @example
 * ```ts
 * import { createOutputFolders, resolveStepCommand, writeStepFiles, WorkLayout } from '@kiln/launcher/light';
 * const layout = new WorkLayout('/kiln/work');
 * await createOutputFolders(request, layout);
 * await writeStepFiles(resolveStepCommand(request, layout, {}, { python: 'python3', pythonSetup: 'work-dir' }));
 * ```
 */
export type { LaunchRequest, LaunchArtifact, ExecutorOutput } from './request';
export { LaunchError, asLaunchError } from './errors';
export { inputPaths, outputFolders, createOutputFolders } from './phases/folders';
export { resolveStepCommand, writeStepFiles, type ResolveOptions, type StepCommand } from './phases/resolve';
export { publishOutputs, writeExecutorOutput, type PublishOptions, type PublishedOutputs } from './phases/publish';
export { WorkLayout } from './layout';
export { KfpMountLayout, kfpMountPrefixes } from './kfp/local-paths';
export { toLaunchFailure, type LaunchFailure } from './cli-protocol';
export type { LocalInputs } from './placeholders';
