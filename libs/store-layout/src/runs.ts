/**
 * Everything of one run under one prefix, `runs/<pipeline>/<runId>/`: its
 * record, the API's note of where it came from, and the output artifacts of
 * every attempt of its tasks (below the run's `artifactRoot`, by default the
 * store's own URL).
 */
import type { AttemptRef } from './execution-key';

/** One attempt of a task of a named pipeline's run: where its outputs go. */
export interface RunAttemptRef extends AttemptRef {
  pipelineName: string;
}

/**
 * Key prefix of one run, without a trailing "/".
 *
 * @example
 * ```ts
 * runPrefix('training', 'kiln-training-01j'); // 'runs/training/kiln-training-01j'
 * ```
 */
export function runPrefix(pipelineName: string, runId: string): string {
  return `runs/${pipelineName}/${runId}`;
}

/**
 * The run record: the final run status document (`runRecordSchema`), written when the run ends.
 *
 * @example
 * ```ts
 * runRecordKey('training', 'kiln-training-01j'); // 'runs/training/kiln-training-01j/record.json'
 * ```
 */
export function runRecordKey(pipelineName: string, runId: string): string {
  return `${runPrefix(pipelineName, runId)}/record.json`;
}

/**
 * Who started a run through the API, from which stored version, retrying which run (`runOriginSchema`).
 *
 * @example
 * ```ts
 * runOriginKey('training', 'kiln-training-01j'); // 'runs/training/kiln-training-01j/origin.json'
 * ```
 */
export function runOriginKey(pipelineName: string, runId: string): string {
  return `${runPrefix(pipelineName, runId)}/origin.json`;
}

/**
 * Where output `output` of one attempt goes, relative to the run's artifact
 * root: `runs/<pipeline>/<runId>/tasks/<taskPath>[/iter-<i>-<j>]/attempt-<n>/<output>`.
 * Every attempt gets its own place, so a retry never overwrites what an earlier
 * attempt wrote; the task path keeps a sub-pipeline's task apart from an outer
 * task of the same id.
 *
 * @example
 * ```ts
 * attemptOutputKey({ pipelineName: 'training', runId: 'r1', taskId: 'train', iteration: [2], attempt: 1 }, 'model');
 * // 'runs/training/r1/tasks/train/iter-2/attempt-1/model'
 * ```
 */
export function attemptOutputKey(ref: RunAttemptRef, output: string): string {
  const iteration = ref.iteration?.length ? `/iter-${ref.iteration.join('-')}` : '';
  return `${runPrefix(ref.pipelineName, ref.runId)}/tasks/${ref.taskId}${iteration}/attempt-${ref.attempt}/${output}`;
}

/**
 * The URI of {@link attemptOutputKey} below `artifactRoot` (a store URL such as
 * `file:///data/kiln` or `s3://bucket/prefix`; trailing slashes are ignored).
 *
 * @example
 * ```ts
 * attemptOutputUri('s3://ml/kiln/', { pipelineName: 'training', runId: 'r1', taskId: 'train', attempt: 2 }, 'model');
 * // 's3://ml/kiln/runs/training/r1/tasks/train/attempt-2/model'
 * ```
 */
export function attemptOutputUri(artifactRoot: string, ref: RunAttemptRef, output: string): string {
  return `${artifactRoot.replace(/\/+$/, '')}/${attemptOutputKey(ref, output)}`;
}
