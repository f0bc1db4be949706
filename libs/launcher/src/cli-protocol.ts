/**
 * What the launcher CLI (`cli.ts`) says to the process that started it: JSON
 * lines on stdout while it runs ({@link LauncherEvent}) and a result file when
 * it is done ({@link LauncherOutcome}). The local executor reads both.
 */
import type { LaunchError, LaunchFailureType } from './errors';
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
  failureType: LaunchFailureType;
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
