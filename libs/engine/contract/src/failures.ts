/**
 * Why a step failed, in the one vocabulary the launcher, both executors and the
 * engine share, and the one place that decides how each kind of failure is
 * retried. Executors throw what {@link stepFailure} makes; the workflow reads it
 * back with {@link classifyStepFailure}. Workflow-safe.
 */
import { ActivityFailure, ApplicationFailure, CancelledFailure, TimeoutFailure } from '@temporalio/common';

/**
 * Whose fault a failed step is; this alone decides how it is retried ({@link failureRetry}):
 * - `user`: the step's own doing (non-zero exit, OOMKilled, its deadline, missing outputs);
 * - `infrastructure`: the machinery failed (eviction, Kubernetes API errors, a lost node, store
 *   I/O, an image pull past its grace, a failed package install); trying again may help;
 * - `configuration`: the step cannot work as written (an invalid image name, a placeholder that
 *   names no input, a pod the API server rejects).
 */
export type FailureClass = 'user' | 'infrastructure' | 'configuration';

/** Every class, in a fixed order. */
export const failureClasses = ['user', 'infrastructure', 'configuration'] as const satisfies readonly FailureClass[];

/**
 * The `ApplicationFailure.type` of each class. Stable on the wire: the histories of runs in
 * flight, metrics labels and callers branching on a run's failure carry these strings.
 */
export const StepFailureType = {
  user: 'KilnUserError',
  infrastructure: 'KilnInfrastructureError',
  configuration: 'KilnConfigurationError',
} as const satisfies Record<FailureClass, string>;
export type StepFailureType = (typeof StepFailureType)[FailureClass];

/**
 * Who retries a failure of each class:
 * - `temporal`: Temporal, within the same attempt, under the run's infrastructure retry policy;
 * - `workflow`: the workflow, as a new numbered attempt with its own output URIs, per the
 *   task's retry policy (`retryOn: ['user']`); Temporal must not retry it;
 * - `never`: nobody.
 */
export const failureRetry = {
  user: 'workflow',
  infrastructure: 'temporal',
  configuration: 'never',
} as const satisfies Record<FailureClass, 'temporal' | 'workflow' | 'never'>;

/** The step activity's `nonRetryableErrorTypes`: every class that Temporal must not retry. */
export const nonRetryableStepFailureTypes: readonly StepFailureType[] = failureClasses
  .filter((failureClass) => failureRetry[failureClass] !== 'temporal')
  .map((failureClass) => StepFailureType[failureClass]);

/** `ApplicationFailure.details[0]` of a step failure. */
export interface StepFailureDetails {
  /** Short and stable: `NonZeroExit`, `OOMKilled`, `Evicted`, `InvalidImageName`, ... */
  reason: string;
  exitCode?: number;
  /** The last lines of the step's log. */
  logTail?: string;
  logUri?: string;
  pod?: { namespace: string; name: string };
  /** Executions this attempt took, counting ones lost with a worker (when the executor knows). */
  tries?: number;
}

/** A failed step as an executor reports it: its class, what happened, and the details to show. */
export interface StepFailure extends StepFailureDetails {
  failureClass: FailureClass;
  message: string;
  /** The error behind it, kept as the failure's cause. */
  cause?: Error;
}

/**
 * The `ApplicationFailure` an executor throws for a failed step. Marked
 * `nonRetryable` only when nobody retries it (configuration): a user failure is
 * kept from Temporal's retries by the workflow's `nonRetryableErrorTypes`, and the
 * workflow may still retry it as a new attempt, so it must not say otherwise.
 *
 * @example
 * ```ts
 * throw stepFailure({ failureClass: 'user', reason: 'OOMKilled', message: 'killed for exceeding its memory limit',
 *                     exitCode: 137, logTail, pod: { namespace: 'ml', name: 'kiln-train-a1-5d41402abc4b' } });
 * ```
 */
export function stepFailure(failure: StepFailure): ApplicationFailure {
  const details: StepFailureDetails = {
    reason: failure.reason,
    ...(failure.exitCode !== undefined && { exitCode: failure.exitCode }),
    ...(failure.logTail !== undefined && { logTail: failure.logTail }),
    ...(failure.logUri !== undefined && { logUri: failure.logUri }),
    ...(failure.pod !== undefined && { pod: failure.pod }),
    ...(failure.tries !== undefined && { tries: failure.tries }),
  };
  return ApplicationFailure.create({
    type: StepFailureType[failure.failureClass],
    message: failure.message,
    details: [details],
    nonRetryable: failureRetry[failure.failureClass] === 'never',
    ...(failure.cause && { cause: failure.cause }),
  });
}

/**
 * How an attempt of a step ended without a result: a failure of one class, or
 * stopped before it could end on its own, on request (`cancelled`) or by one of
 * Temporal's timeouts (`timeout`).
 */
export type StepFailureKind = FailureClass | 'cancelled' | 'timeout';

/** What the workflow makes of a failed step activity. */
export interface ClassifiedFailure {
  kind: StepFailureKind;
  message: string;
  details?: StepFailureDetails;
}

/**
 * Whether the workflow may retry an attempt that ended this way as a new attempt
 * (when the task's retry policy has attempts left): user failures, and timeouts,
 * which are the step's doing as far as anyone can tell.
 */
export function retriedByWorkflow(kind: StepFailureKind): boolean {
  if (kind === 'timeout') return true;
  return kind !== 'cancelled' && failureRetry[kind] === 'workflow';
}

/**
 * Classifies what a step activity threw, as the workflow sees it: an executor's
 * {@link stepFailure} by its type, a cancellation or a timeout by Temporal's
 * failure. Anything else (a bug, a plain `Error`) counts as infrastructure:
 * Temporal has already retried it.
 *
 * @example
 * ```ts
 * try { result = await stepActivities.runStep(request); }
 * catch (error) { const failure = classifyStepFailure(error); if (retriedByWorkflow(failure.kind)) ... }
 * ```
 */
export function classifyStepFailure(error: unknown): ClassifiedFailure {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof CancelledFailure) {
    // An executor that stopped the step may say what it stopped (the deleted pod) in the cancellation's details.
    const details = stepFailureDetailsOf(cause.details);
    return { kind: 'cancelled', message: 'cancelled', ...(details && { details }) };
  }
  if (cause instanceof TimeoutFailure) {
    return { kind: 'timeout', message: `timed out (${timeoutName(cause.timeoutType)})` };
  }
  if (cause instanceof ApplicationFailure) {
    const details = stepFailureDetailsOf(cause.details);
    const message = cause.message || details?.reason || 'step failed';
    return { kind: failureClassOfType(cause.type), message, ...(details && { details }) };
  }
  return { kind: 'infrastructure', message: error instanceof Error ? error.message : String(error) };
}

/** The class an `ApplicationFailure.type` names; unknown types count as infrastructure. */
function failureClassOfType(type: string | undefined | null): FailureClass {
  return failureClasses.find((failureClass) => StepFailureType[failureClass] === type) ?? 'infrastructure';
}

/** `details[0]` read back as {@link StepFailureDetails}, if it is one: it crossed the wire, so it is checked. */
function stepFailureDetailsOf(details: readonly unknown[] | undefined | null): StepFailureDetails | undefined {
  const value: unknown = details?.[0];
  if (typeof value !== 'object' || value === null) return undefined;
  const record: Record<string, unknown> = { ...value };
  if (typeof record['reason'] !== 'string') return undefined;
  const pod = record['pod'];
  const podRecord: Record<string, unknown> = typeof pod === 'object' && pod !== null ? { ...pod } : {};
  return {
    reason: record['reason'],
    ...(typeof record['exitCode'] === 'number' && { exitCode: record['exitCode'] }),
    ...(typeof record['logTail'] === 'string' && { logTail: record['logTail'] }),
    ...(typeof record['logUri'] === 'string' && { logUri: record['logUri'] }),
    ...(typeof record['tries'] === 'number' && { tries: record['tries'] }),
    ...(typeof podRecord['namespace'] === 'string' &&
      typeof podRecord['name'] === 'string' && { pod: { namespace: podRecord['namespace'], name: podRecord['name'] } }),
  };
}

function timeoutName(type: unknown): string {
  return typeof type === 'string' ? type.toLowerCase().replace(/_/g, '-') : 'unknown';
}
