/**
 * The run status document (DESIGN.md section 4): what the `status` query answers,
 * what `kiln run --json` prints, what the API serves and what `saveRunRecord` stores.
 */
import type { JsonValue } from '@kiln/ir';
import type { ArtifactRef, ExecutorKind } from './contract';

export type RunState = 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
export type TaskState = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'cached' | 'cancelled';

/** Outputs of a task as the engine passes them downstream. */
export interface TaskOutputs {
  params: Record<string, JsonValue>;
  artifacts: Record<string, ArtifactRef>;
}

export interface TaskStatus {
  /**
   * The task's id in the run: its IR id at the pipeline's root; inside a
   * sub-pipeline, behind the ids of the enclosing sub-pipeline tasks
   * (`inner-pipeline/print-op1`, `outer/inner/print-op1`). With `iteration` it
   * names one task instance.
   */
  id: string;
  /** The component's name. */
  name: string;
  displayName: string;
  /** Loop indices from the outermost loop inward; absent outside loops. */
  iteration?: number[];
  state: TaskState;
  /** Attempts started so far (user-failure retries; infrastructure retries of one attempt do not count). */
  attempts: number;
  startedAt?: string;
  finishedAt?: string;
  cached: boolean;
  executor: ExecutorKind;
  pod?: { namespace: string; name: string };
  exitCode?: number;
  error?: string;
  /** Why a task was skipped (condition false, upstream failed, failFast, cancelled run). */
  reason?: string;
  outputs: TaskOutputs;
  /**
   * Only on the summary entry of a loop body task run in child-workflow batches
   * (loops above the batch threshold): how many iterations ended in each state.
   * Failed and cancelled iterations still get their own entries.
   */
  batched?: { total: number; counts: Partial<Record<TaskState, number>>; childWorkflowIds: string[] };
}

export interface RunStatusDocument {
  runId: string;
  workflowId: string;
  pipeline: { name: string; digest: string };
  params: Record<string, JsonValue>;
  state: RunState;
  startedAt: string;
  finishedAt?: string;
  error?: string;
  experiment?: string;
  tasks: TaskStatus[];
  /** The pipeline's outputs, once it succeeded. */
  outputs?: TaskOutputs;
}
