/**
 * Why a step did not succeed, classified where it is known: the launcher sees the
 * exit code, the signal, a failed `pip install`, a placeholder that names no
 * input. The classes are the engine's ({@link FailureClass}); executors turn them
 * into its `stepFailure`.
 */
import { ArtifactError, InvalidKeyError, UnsupportedStoreError } from '@kiln/artifacts/light';
import type { FailureClass } from '@kiln/engine-contract';

/**
 * A step that did not succeed.
 *
 * @example
 * ```ts
 * try { await runStep(request, deps); }
 * catch (error) { if (error instanceof LaunchError && error.failureType === 'user') console.log(error.exitCode, error.logTail); }
 * ```
 */
export class LaunchError extends Error {
  override readonly name = 'LaunchError';
  /** The command's exit code, when it ran. */
  exitCode?: number;
  /** The last lines of the step's log. */
  logTail?: string;
  /** Where the full log was saved. */
  logUri?: string;

  constructor(
    /**
     * The failure's class (`user`: non-zero exit, a signal such as the OOM killer's, the deadline,
     * missing outputs; `infrastructure`: store I/O, virtualenv creation, pip; `configuration`: an
     * unknown input in a placeholder, a bad key), or `cancelled`: the step was stopped on request.
     */
    readonly failureType: FailureClass | 'cancelled',
    /** A short machine-readable reason: `NonZeroExit`, `Signal:SIGKILL`, `DeadlineExceeded`, `PipInstallFailed`... */
    readonly reason: string,
    message: string,
    options?: ErrorOptions & { exitCode?: number },
  ) {
    super(message, options);
    if (options?.exitCode !== undefined) this.exitCode = options.exitCode;
  }

  /** Whether trying the same attempt again could help. */
  get retryable(): boolean {
    return this.failureType === 'infrastructure';
  }
}

/** Shorthand for a request that cannot work as written. */
export function configurationError(message: string, reason = 'InvalidRequest'): LaunchError {
  return new LaunchError('configuration', reason, message);
}

/**
 * Any error a phase threw, as a {@link LaunchError}: store keys and URLs that
 * cannot work are configuration errors, other store failures and anything
 * unexpected are infrastructure (a retry may help).
 *
 * @example
 * ```ts
 * try { await fetchInputs(request, store, layout); }
 * catch (error) { const failure = asLaunchError(error); if (failure.retryable) ... }
 * ```
 */
export function asLaunchError(error: unknown): LaunchError {
  if (error instanceof LaunchError) return error;
  if (error instanceof InvalidKeyError || error instanceof UnsupportedStoreError) {
    return new LaunchError('configuration', error.name, error.message, { cause: error });
  }
  if (error instanceof ArtifactError)
    return new LaunchError('infrastructure', error.name, error.message, { cause: error });
  return new LaunchError('infrastructure', 'LauncherError', (error as Error)?.message ?? String(error), {
    cause: error,
  });
}
