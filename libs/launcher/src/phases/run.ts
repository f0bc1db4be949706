/**
 * Phase 3 of a step: the command runs (argv straight to the process, in its own
 * process group) and how it ended becomes a success or a classified
 * {@link LaunchError}.
 */
import { LaunchError } from '../errors';
import { runProcess, type ProcessOutcome, type RunProcessOptions } from '../process';

/** How the command runs: {@link runProcess}'s options (cwd, env, the step log, cancellation, timeout). */
export type RunCommandOptions = RunProcessOptions;

/**
 * Runs a resolved command to completion; resolves when it exited 0, throws a
 * {@link LaunchError} otherwise (`NonZeroExit`, `Signal:SIGKILL`,
 * `DeadlineExceeded`, `CommandNotFound`, `Cancelled`), always with the exit code.
 *
 * @example
 * ```ts
 * await runStepCommand(command.argv, { cwd: layout.root, env: process.env, log, timeoutSeconds: 600 });
 * ```
 */
export async function runStepCommand(argv: string[], options: RunCommandOptions): Promise<void> {
  const outcome = await runProcess(argv, options);
  failUnlessSucceeded(outcome, options.timeoutSeconds);
}

function failUnlessSucceeded(outcome: ProcessOutcome, timeoutSeconds: number | undefined): void {
  const code = { exitCode: outcome.exitCode };
  if (outcome.stoppedBy === 'cancel') throw new LaunchError('cancelled', 'Cancelled', 'the step was cancelled', code);
  if (outcome.stoppedBy === 'timeout') {
    throw new LaunchError(
      'user',
      'DeadlineExceeded',
      `the step ran longer than its timeout of ${timeoutSeconds} s and was stopped`,
      code,
    );
  }
  if (outcome.lostBy !== undefined) {
    // Not the command's doing: the helper that started it died, and the command with it. Worth another try.
    throw new LaunchError('infrastructure', 'SpawnHelperLost', outcome.lostBy, code);
  }
  if (outcome.spawnError) {
    throw new LaunchError('user', 'CommandNotFound', `cannot start the command: ${outcome.spawnError.message}`, code);
  }
  if (outcome.signal) {
    const hint = outcome.signal === 'SIGKILL' ? ' (often the out-of-memory killer)' : '';
    throw new LaunchError(
      'user',
      `Signal:${outcome.signal}`,
      `the command was killed by ${outcome.signal}${hint}`,
      code,
    );
  }
  if (outcome.exitCode !== 0)
    throw new LaunchError('user', 'NonZeroExit', `the command exited with code ${outcome.exitCode}`, code);
}
