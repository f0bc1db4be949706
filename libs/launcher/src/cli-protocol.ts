/**
 * What the launcher CLI (`cli.ts`) says to the process that started it: JSON
 * lines on stdout while it runs ({@link LauncherEvent}) and a result file when
 * it is done ({@link LauncherOutcome}). The local executor reads both.
 */
import type { StepFailure } from '@kiln/engine-contract';
import type { LaunchError } from './errors';
import type { LogStream } from './process';
import type { ExecutorOutput } from './request';
import type { LaunchPhase } from './run-step';

export type LauncherEvent =
  | { event: 'phase'; phase: LaunchPhase }
  /** The command started; `pid` is also its process group id. */
  | { event: 'spawned'; pid: number }
  | { event: 'log'; stream: LogStream; line: string };

/** A failed step, as plain JSON. */
export interface LaunchFailure {
  /** Named `failureType` on the wire (result files, the store, the Python shim); see `LaunchError.failureType`. */
  failureType: LaunchError['failureType'];
  reason: string;
  message: string;
  exitCode?: number;
  logTail?: string;
  logUri?: string;
}

export type LauncherOutcome = { ok: true; output: ExecutorOutput } | { ok: false; failure: LaunchFailure };

/**
 * A {@link LaunchError} as plain JSON, for a result file or the store.
 *
 * @example
 * ```ts
 * await store.writeJson(key, toLaunchFailure(asLaunchError(error)));
 * ```
 */
export function toLaunchFailure(error: LaunchError): LaunchFailure {
  return {
    failureType: error.failureType,
    reason: error.reason,
    message: error.message,
    ...(error.exitCode !== undefined && { exitCode: error.exitCode }),
    ...(error.logTail !== undefined && { logTail: error.logTail }),
    ...(error.logUri !== undefined && { logUri: error.logUri }),
  };
}

/**
 * A launch failure as the engine's {@link StepFailure}, for an executor to throw
 * with `stepFailure`. A launcher that reports `cancelled` although its activity
 * was not cancelled (it crashed, or gave up, while stopping) failed for an
 * infrastructure reason: the executor throws a cancellation itself when the step
 * really was cancelled.
 *
 * @example
 * ```ts
 * if (!outcome.ok) throw stepFailure(toStepFailure(outcome.failure));
 * ```
 */
export function toStepFailure(failure: LaunchFailure): StepFailure {
  return {
    failureClass: failure.failureType === 'cancelled' ? 'infrastructure' : failure.failureType,
    reason: failure.reason,
    message: failure.message,
    ...(failure.exitCode !== undefined && { exitCode: failure.exitCode }),
    ...(failure.logTail !== undefined && { logTail: failure.logTail }),
    ...(failure.logUri !== undefined && { logUri: failure.logUri }),
  };
}
