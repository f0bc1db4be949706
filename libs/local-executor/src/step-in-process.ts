/**
 * The launcher in the worker's own process: `runStep` of `@kiln/launcher` called
 * directly, so a step costs no Node start-up (about a quarter of a second on an
 * idle 2-CPU host, over a second under load). The user's command still runs as
 * its own child process in its own process group: a crashing or memory-hungry
 * step cannot take the worker down. What runs in the worker is the launcher's
 * own I/O (fetch, log, publish), with bounded memory.
 *
 * Reports the same events and outcome as the launcher CLI (`step-process.ts`),
 * so the activity does not care which one ran the step.
 */
import {
  asLaunchError,
  runStep,
  toLaunchFailure,
  type LaunchRequest,
  type LauncherEvent,
  type LauncherOutcome,
  type ProcessSpawner,
} from '@kiln/launcher';
import type { ArtifactStore } from '@kiln/artifacts';

export interface StepInProcessOptions {
  request: LaunchRequest;
  store: ArtifactStore;
  /** The attempt's own, new work folder. */
  workDir: string;
  onEvent: (event: LauncherEvent) => void;
  /** Abort to cancel: the step's process group gets SIGTERM, then SIGKILL after `graceMs`. */
  signal: AbortSignal;
  graceMs: number;
  /** The cap on the command's output in the attempt's log (default 16 MiB). */
  logCapBytes?: number;
  /** Who starts the command (default: this process; the executor passes its shared `SpawnHelper`). */
  spawner?: ProcessSpawner;
}

/**
 * Runs one step with the launcher in this process and reports its outcome; never rejects.
 *
 * After a cancel, the launcher gets the step's grace period to stop the command, and as long
 * again to save the log; if it is still busy then (a store that does not answer), the attempt
 * ends as cancelled anyway, so a stuck store cannot hold a cancellation forever.
 *
 * @example
 * ```ts
 * const outcome = await runStepInProcess({ request, store, workDir, signal, graceMs: 10_000, onEvent: (e) => console.log(e) });
 * if (outcome.ok) console.log(outcome.output.outputs);
 * ```
 */
export function runStepInProcess(options: StepInProcessOptions): Promise<LauncherOutcome> {
  const { signal } = options;
  return new Promise((resolvePromise) => {
    let settled = false;
    let giveUp: NodeJS.Timeout | undefined;
    const settle = (outcome: LauncherOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(giveUp);
      signal.removeEventListener('abort', onAbort);
      resolvePromise(outcome);
    };
    const onAbort = () => {
      giveUp = setTimeout(
        () =>
          settle({
            ok: false,
            failure: {
              failureType: 'cancelled',
              reason: 'LauncherCancelTimedOut',
              message: `the launcher did not finish within ${2 * options.graceMs} ms of the cancellation`,
            },
          }),
        2 * options.graceMs,
      );
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });

    runStep(options.request, {
      store: options.store,
      workDir: options.workDir,
      signal,
      graceMs: options.graceMs,
      ...(options.logCapBytes !== undefined && { logCapBytes: options.logCapBytes }),
      ...(options.spawner && { spawner: options.spawner }),
      onLog: (line, stream) => options.onEvent({ event: 'log', stream, line }),
      onSpawn: (pid) => options.onEvent({ event: 'spawned', pid }),
      onPhase: (phase) => options.onEvent({ event: 'phase', phase }),
    }).then(
      (output) => settle({ ok: true, output }),
      // runStep classifies what it catches; what escapes it (a work folder that cannot be made) becomes infrastructure.
      (error: unknown) => settle({ ok: false, failure: toLaunchFailure(asLaunchError(error)) }),
    );
  });
}
