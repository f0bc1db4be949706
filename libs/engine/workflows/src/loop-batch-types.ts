/** Input and result of the `kilnLoopBatch` child workflow (see `loop.ts`). */
import type { JsonValue, PipelineSpec } from '@kiln/ir';
import type { TaskStatus } from '@kiln/engine-contract';
import type { ResolvedRun } from './context';
import type { Outcome } from './outcome';
import type { ScopeResult, ScopeSnapshot } from './scope';

export interface LoopBatchInput {
  spec: PipelineSpec;
  run: ResolvedRun;
  loopId: string;
  /** Index of `items[0]` in the whole loop. */
  start: number;
  total: number;
  items: JsonValue[];
  /** Everything the loop body may bind from outside the loop. */
  scope: ScopeSnapshot;
  /** Inside an exit DAG: keep going after cancellation or failFast. */
  cleanup: boolean;
  /** Task ids whose outputs `collected` bindings read; others are dropped from the result. */
  keepTasks: string[];
}

export interface LoopBatchResult {
  outcome: Outcome;
  /** One per item of the slice, in order. */
  iterations: (ScopeResult | null)[];
  /** Compacted status entries (see `Recorder.compact`). */
  tasks: TaskStatus[];
  failedTasks: string[];
}
