/** Temporal's native runtime, installed once per process by whichever test support starts a worker first. */
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';

let installed = false;

/**
 * Installs the runtime with Temporal's own log lines at `level` and above (a
 * second call keeps the first level: there is one runtime per process).
 *
 * @example
 * ```ts
 * installTestRuntime('ERROR'); // failing steps are part of the tests; the worker's warnings about them are noise
 * ```
 */
export function installTestRuntime(level: LogLevel): void {
  if (installed) return;
  Runtime.install({ logger: new DefaultLogger(level) });
  installed = true;
}
