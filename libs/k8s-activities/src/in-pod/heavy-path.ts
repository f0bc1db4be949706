/**
 * Loading the in-pod launcher's heavy half (`heavy.ts`) when a step needs it, once. In the
 * launcher image it is a code-cached bundle of its own beside the light one: bundle.ts defines
 * `process.env.KILN_POD_LAUNCHER_HEAVY_FILE` in the light bundle as the heavy one's loader, which
 * is then `require`d, and the `import()` (dead code there) is left out. Everywhere else (from
 * source, the eager bundle) the module is imported.
 */
import { createRequire } from 'node:module';
import { LaunchError } from '@kiln/launcher/light';
import type * as Heavy from './heavy';
import type { Crossing } from './heavy';

let loading: Promise<typeof Heavy> | undefined;

/**
 * The heavy half, loaded on the first call. Call it without waiting to have it load in the
 * background (while main runs) before it is needed.
 *
 * @example
 * ```ts
 * void loadHeavyPath().catch(() => undefined); // warm up; a failure shows when it is used
 * ```
 */
export function loadHeavyPath(): Promise<typeof Heavy> {
  loading ??= process.env.KILN_POD_LAUNCHER_HEAVY_FILE
    ? // The heavy loader lies beside this bundle (`__filename`, as its loader runs it).
      Promise.resolve().then((): typeof Heavy =>
        createRequire(__filename)(`./${process.env.KILN_POD_LAUNCHER_HEAVY_FILE}`),
      )
    : import('./heavy');
  return loading;
}

/**
 * Runs `call` on the heavy half and returns its value, or throws its failure as a `LaunchError`
 * of this half, with the class, reason and message the heavy half gave it.
 *
 * @example
 * ```ts
 * const localInputs = await onHeavyPath((heavy) => heavy.fetchInputArtifacts(storeUrl, request, workDir, say));
 * ```
 */
export async function onHeavyPath<T>(call: (heavy: typeof Heavy) => Promise<Crossing<T>>): Promise<T> {
  const answer = await call(await loadHeavyPath());
  if (answer.ok) return answer.value;
  const { failureType, reason, message, exitCode, logTail, logUri } = answer.failure;
  const error = new LaunchError(failureType, reason, message, exitCode !== undefined ? { exitCode } : undefined);
  if (logTail !== undefined) error.logTail = logTail;
  if (logUri !== undefined) error.logUri = logUri;
  throw error;
}
