/**
 * `@kiln/engine-workflows`: the workflow bundle's entry point, every workflow
 * type the Kiln worker registers (names and signatures in `@kiln/engine-contract`).
 * Workflow code only: the whole project is linted against Node built-ins and
 * I/O libraries, and nothing but `@kiln/engine-worker`'s bundler loads it (by path).
 *
 * @example
 * ```ts
 * // in a worker: bundled, never imported
 * const bundle = await bundleWorkflowCode({ workflowsPath: kilnWorkflowsPath() });
 * ```
 *
 * @packageDocumentation
 */
import type { KilnPipelineRunWorkflow } from '@kiln/engine-contract';
import { kilnPipelineRun } from './pipeline-run';

export { kilnLoopBatch } from './loop-batch';
export { kilnPipelineRun };

// The contract's signature and the implementation must not drift apart.
const _signature: KilnPipelineRunWorkflow = kilnPipelineRun;
