/**
 * What a run is started with: the input of the `kilnPipelineRun` workflow.
 */
import type { JsonValue, PipelineSpec } from '@kiln/ir';
import type { ExecutorKind } from './contract';

export interface RunOptions {
  /** Which executor runs the steps; defaults to the pipeline's `settings.executor`, then `local`. */
  executor?: ExecutorKind;
  /** Kiln's run id; defaults to the workflow id. */
  runId?: string;
  /** Experiment name, recorded as the `KilnExperiment` search attribute. */
  experiment?: string;
  /** Use the step cache (default true). Per-task `caching.enabled: false` still wins. */
  cache?: boolean;
  /** Cap on concurrently running steps in the run; defaults to the pipeline's, then 32. */
  parallelism?: number;
  /** Base URI for this run's outputs; defaults to the worker's store (see `resolveRunContext`). */
  artifactRoot?: string;
  /** Loops with more items than this run in child workflows, this many iterations each (default 100). */
  loopBatchSize?: number;
  /** At most this many loop batch children per workflow; bigger loops split twice or more (default 100). */
  loopFanout?: number;
  /** Temporal's retry of one attempt on `KilnInfrastructureError` (default 5 attempts, 1 s doubling to 60 s). */
  infrastructureRetry?: { maxAttempts?: number; initialIntervalSeconds?: number; maxIntervalSeconds?: number };
  /** Seconds without a heartbeat before an attempt counts as lost (default 30). */
  heartbeatTimeoutSeconds?: number;
}

/**
 * Input of the `kilnPipelineRun` workflow.
 *
 * @example
 * ```ts
 * await client.workflow.start(kilnPipelineRun, {
 *   taskQueue: 'kiln',
 *   workflowId: newWorkflowId(spec.pipeline.name),
 *   args: [{ spec, params: { minAccuracy: 0.9 }, options: { executor: 'local' } }],
 * });
 * ```
 */
export interface PipelineRunInput {
  spec: PipelineSpec;
  params: Record<string, JsonValue>;
  options: RunOptions;
}
