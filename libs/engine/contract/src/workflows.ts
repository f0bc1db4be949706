/**
 * The workflow types the Kiln worker registers, by name and signature. Clients
 * start them by name with these types (`client.workflow.start<KilnPipelineRunWorkflow>`),
 * so no client ever imports workflow code; `@kiln/engine-workflows` implements them.
 */
import type { PipelineRunInput } from './options';
import type { RunStatusDocument } from './status';

/**
 * Runs one compiled pipeline to its end and returns the final run status
 * document. Fails with `RUN_FAILED` (the document in `details[0]`) or
 * `INVALID_PARAMS`; a cancelled run ends with a `CancelledFailure`.
 *
 * @example
 * ```ts
 * const handle = await client.workflow.start<KilnPipelineRunWorkflow>(kilnWorkflowTypes.pipelineRun, {
 *   taskQueue: 'kiln',
 *   workflowId: 'kiln-training-1',
 *   args: [{ spec, params: { minAccuracy: 0.9 }, options: {} }],
 * });
 * ```
 */
export type KilnPipelineRunWorkflow = (input: PipelineRunInput) => Promise<RunStatusDocument>;

/** Workflow type names as the worker registers them. */
export const kilnWorkflowTypes = {
  /** {@link KilnPipelineRunWorkflow} */
  pipelineRun: 'kilnPipelineRun',
  /** A slice of one big loop's iterations, started by `kilnPipelineRun` as a child workflow. */
  loopBatch: 'kilnLoopBatch',
} as const;
