/**
 * `@kiln/engine-contract`: what the interpreter workflow, the executors, the
 * worker and every client agree on, and nothing else. Workflow-safe (no Node
 * built-ins, no I/O), so the workflow bundle may hold it; Node code imports it
 * without pulling in a worker or a workflow.
 *
 * - Workflows: {@link KilnPipelineRunWorkflow} and {@link kilnWorkflowTypes}; its input {@link PipelineRunInput}.
 * - Activities: {@link KilnActivities} (what executors implement), {@link StepRequest}, {@link StepResult}.
 * - The run status document ({@link RunStatusDocument}) and the {@link statusQuery} that answers it.
 * - Search attributes (`KilnPipelineName`, ...) and the failure types a run ends with.
 * - Step failures: {@link FailureClass}, {@link stepFailure} (what executors throw) and
 *   {@link classifyStepFailure} (what the workflow makes of it), retried per {@link failureRetry}.
 *
 * The other engine projects, like Temporal's SDK packages: `@kiln/engine-workflows`
 * (the workflow code), `@kiln/engine-worker` (`createKilnWorker`) and
 * `@kiln/engine-client` (start, read, list, cancel runs; schedules).
 *
 * @example
 * ```ts
 * import { statusQuery, type KilnPipelineRunWorkflow } from '@kiln/engine-contract';
 * const handle = client.workflow.getHandle<KilnPipelineRunWorkflow>(workflowId);
 * const doc = await handle.query(statusQuery);
 * console.log(doc.state, doc.tasks.map((t) => `${t.id}: ${t.state}`));
 * ```
 *
 * @packageDocumentation
 */
export * from './contract';
export * from './failures';
export type * from './activities';
export { kilnActivityNames } from './activities';
export type * from './options';
export type * from './status';
export * from './workflows';
export { statusQuery } from './queries';
export * from './search-attributes';
export { INVALID_PARAMS, RUN_FAILED } from './run-failures';
