/**
 * The execution key: the identity of one attempt of one task instance, under
 * which the store keeps the attempt's records (`executions/<executionKey>/`),
 * and which the Kubernetes executor writes on the attempt's pod.
 */

/** One attempt of one task instance of a run: what an execution key is made of. */
export interface AttemptRef {
  runId: string;
  /** The task's path in the run (`train`, or `inner-pipeline/print-op1` inside a sub-pipeline). */
  taskId: string;
  /** Loop indices, outermost first; empty or absent outside loops. */
  iteration?: readonly number[];
  /** 1-based attempt number as the workflow counts it. */
  attempt: number;
}

/**
 * `<runId>.<taskPath>[.<iteration joined by "-">].<attempt>`. Unique in the run
 * since the task path carries the enclosing sub-pipeline tasks; the same for
 * every try of one attempt, so a retried activity finds what an earlier try left.
 *
 * @example
 * ```ts
 * executionKey({ runId: 'kiln-hello-01j', taskId: 'train', iteration: [2, 0], attempt: 1 }); // 'kiln-hello-01j.train.2-0.1'
 * executionKey({ runId: 'kiln-hello-01j', taskId: 'wrap/same', attempt: 3 });              // 'kiln-hello-01j.wrap/same.3'
 * ```
 */
export function executionKey(ref: AttemptRef): string {
  const iteration = ref.iteration?.length ? `.${ref.iteration.join('-')}` : '';
  return `${ref.runId}.${ref.taskId}${iteration}.${ref.attempt}`;
}
