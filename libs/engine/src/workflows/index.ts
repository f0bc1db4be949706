/**
 * The workflow bundle's entry point: every workflow type the Kiln worker registers.
 * Workflow code only — see the ESLint override for `libs/engine/src`.
 */
export { kilnPipelineRun } from './pipeline-run';
export { kilnLoopBatch } from './loop-batch';
