/**
 * `@kiln/local-executor`: the embedded default's executor, `runStep` with each step's
 * command run as a child process in its own process group on the worker's host
 * (a crashing step cannot take the worker down), driven by the launcher in the
 * worker's process (default) or as a launcher child process per step
 * (`launcherMode: 'process'`); heartbeats every few seconds, cancellation that
 * stops the step's whole process tree, failures typed for the workflow's retry
 * policies. `createLocalExecutorActivities` adds the store-backed activities
 * (`@kiln/store-activities`) for a worker that runs every step locally.
 *
 * @example
 * ```ts
 * import { Worker } from '@temporalio/worker';
 * import { openStore, defaultStoreUrl } from '@kiln/artifacts';
 * import { createLocalExecutorActivities } from '@kiln/local-executor';
 *
 * const store = openStore(process.env.KILN_ARTIFACTS ?? defaultStoreUrl());
 * const worker = await Worker.create({ taskQueue: 'kiln', workflowsPath, activities: createLocalExecutorActivities({ store }) });
 * ```
 *
 * @packageDocumentation
 */
export { createLocalExecutorActivities, createLocalStepActivities, type LocalExecutorDeps } from './local-executor';
export { toStepResult, type StepHeartbeat } from './run-step-activity';
