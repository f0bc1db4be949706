/**
 * Keys of one attempt's records, all under `executions/<executionKey>/` (see
 * {@link executionKey}): what the launcher, the executors and the API's log
 * reader agree on.
 */

const executionsRoot = 'executions';
const podRequestFile = 'pod-request.json';

/**
 * Key prefix of one attempt's records, without a trailing "/".
 *
 * @example
 * ```ts
 * executionPrefix('kiln-hello-01j.train.1'); // 'executions/kiln-hello-01j.train.1'
 * ```
 */
export function executionPrefix(executionKey: string): string {
  return `${executionsRoot}/${executionKey}`;
}

/**
 * The executor-output record a successful attempt leaves (`executorOutputSchema`).
 *
 * @example
 * ```ts
 * executorOutputKey('r.train.1'); // 'executions/r.train.1/executor-output.json'
 * ```
 */
export function executorOutputKey(executionKey: string): string {
  return `${executionPrefix(executionKey)}/executor-output.json`;
}

/**
 * The whole log of an attempt, saved when it ends (plain text).
 *
 * @example
 * ```ts
 * stepLogKey('r.train.1'); // 'executions/r.train.1/log.txt'
 * ```
 */
export function stepLogKey(executionKey: string): string {
  return `${executionPrefix(executionKey)}/log.txt`;
}

/**
 * The log of one earlier try of an attempt: Temporal retries an attempt that failed for
 * infrastructure reasons or whose worker died as another try of the same attempt (same
 * execution key), which saves its log at {@link stepLogKey}; each earlier try's log is kept here.
 *
 * @throws RangeError when `tryNumber` is not a positive integer.
 * @example
 * ```ts
 * stepTryLogKey('r.train.1', 1); // 'executions/r.train.1/tries/1/log.txt'
 * ```
 */
export function stepTryLogKey(executionKey: string, tryNumber: number): string {
  if (!Number.isInteger(tryNumber) || tryNumber < 1)
    throw new RangeError(`try number ${tryNumber} is not a positive integer`);
  return `${executionPrefix(executionKey)}/tries/${tryNumber}/log.txt`;
}

/**
 * Key prefix of an attempt's live log chunks, written while it runs (with the trailing "/").
 *
 * @example
 * ```ts
 * liveLogPrefix('r.train.1'); // 'executions/r.train.1/log.live/'
 * ```
 */
export function liveLogPrefix(executionKey: string): string {
  return `${executionPrefix(executionKey)}/log.live/`;
}

/** The largest live log chunk number: 8 digits. */
export const maxLiveLogChunk = 99_999_999;

/**
 * Live log chunk `n` (from 1): the prefix and `n` as 8 digits, so keys sort in chunk order.
 *
 * @throws RangeError when `n` is not an integer from 1 to {@link maxLiveLogChunk}.
 * @example
 * ```ts
 * liveLogChunkKey('r.train.1', 12); // 'executions/r.train.1/log.live/00000012'
 * ```
 */
export function liveLogChunkKey(executionKey: string, n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > maxLiveLogChunk)
    throw new RangeError(`live log chunk number ${n} is not an integer from 1 to ${maxLiveLogChunk}`);
  return `${liveLogPrefix(executionKey)}${String(n).padStart(8, '0')}`;
}

/**
 * The launch request the Kubernetes executor stages for an attempt's pod (`launchRequestSchema`; no secrets).
 *
 * @example
 * ```ts
 * podRequestKey('r.train.1'); // 'executions/r.train.1/pod-request.json'
 * ```
 */
export function podRequestKey(executionKey: string): string {
  return `${executionPrefix(executionKey)}/${podRequestFile}`;
}

/**
 * The execution key a {@link podRequestKey} was made from: the in-pod launcher
 * is handed the request key only.
 *
 * @returns undefined when `key` is not a pod request key.
 * @example
 * ```ts
 * executionKeyOfPodRequest('executions/r.wrap/same.1/pod-request.json'); // 'r.wrap/same.1'
 * ```
 */
export function executionKeyOfPodRequest(key: string): string | undefined {
  const head = `${executionsRoot}/`;
  const tail = `/${podRequestFile}`;
  if (!key.startsWith(head) || !key.endsWith(tail) || key.length <= head.length + tail.length) return undefined;
  return key.slice(head.length, -tail.length);
}

/**
 * Where the in-pod launcher leaves its account of a failed fetch or publish (`launcherFailureSchema`).
 *
 * @example
 * ```ts
 * launcherFailureKey('r.train.1'); // 'executions/r.train.1/launcher-failure.json'
 * ```
 */
export function launcherFailureKey(executionKey: string): string {
  return `${executionPrefix(executionKey)}/launcher-failure.json`;
}
