/**
 * Per-execution state shared by every node of one workflow execution (the run,
 * or one loop batch child).
 */
import type { JsonValue, PipelineSpec } from '@kiln/ir';
import type { CancellationScope } from '@temporalio/workflow';
import type { ExecutorKind } from '@kiln/engine-contract';
import type { RunOptions } from '@kiln/engine-contract';
import type { Recorder } from './recorder';
import type { CollectPaths } from './collect-paths';
import type { Semaphore } from './semaphore';

/** Options resolved once by the run and passed down to loop batch children. */
export interface ResolvedRun {
  runId: string;
  /** The run's (top-level) workflow id. */
  workflowId: string;
  pipelineName: string;
  pipelineDigest: string;
  artifactRoot: string;
  executor: ExecutorKind;
  parallelism: number;
  cache: boolean;
  loopBatchSize: number;
  loopFanout: number;
  failFast: boolean;
  infrastructureRetry: Required<NonNullable<RunOptions['infrastructureRetry']>>;
  heartbeatTimeoutSeconds: number;
  /** The pipeline's `settings.podTtlSeconds`, passed on to every step (`StepRequest.podTtlSeconds`). */
  podTtlSeconds?: number;
  /** Validated pipeline parameters (for the status document). */
  params: Record<string, JsonValue>;
}

export interface ExecutionContext {
  spec: PipelineSpec;
  run: ResolvedRun;
  recorder: Recorder;
  /** The global cap on running steps. */
  slots: Semaphore;
  /** Ids of failed task instances, in the order they failed. */
  failedTasks: string[];
  /** The run is stopping: cancelled by the user, or past its timeout (see `timedOut`). */
  cancelRequested: boolean;
  /** The run exceeded `settings.timeoutSeconds`: it stops like a cancellation but ends FAILED. */
  timedOut: boolean;
  failFastTriggered: boolean;
  /** Scopes of running steps, so failFast can stop them. */
  running: Set<CancellationScope>;
  /** Ids of child workflows started so far (for unique ids). */
  children: number;
  /** Task ids whose outputs some `collected` binding reads: loop batches keep only these. */
  collectedTasks: ReadonlySet<string>;
  /** Nested loops between each `collected` loop and its producer, per DAG owner (see `collect-paths.ts`). */
  collectPaths: CollectPaths;
  /**
   * Whether values are told apart by their tags and loop batch children get tagged scope
   * parameters: false for runs started before `TAGGED_VALUES_PATCH` (see `value.ts`).
   */
  taggedValues: boolean;
}

/** Per-DAG-run environment, threaded down the tree. */
export interface DagEnv {
  /** Inside an exit DAG: runs even after cancellation or failFast. */
  cleanup: boolean;
  /** Failure lists of the enclosing exit handlers' bodies. */
  failureSinks: string[][];
}

/** Why running work is being stopped, for task reasons and errors. */
export function stopReason(ctx: ExecutionContext): string {
  return ctx.timedOut ? 'run timed out' : 'run cancelled';
}
