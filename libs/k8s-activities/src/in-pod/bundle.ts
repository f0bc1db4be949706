/**
 * The in-pod launcher as one file: `cli.ts` and everything it imports, bundled
 * with esbuild like the local launcher (`@kiln/launcher`'s `bundleProgram`).
 * Every step pod starts the launcher twice before the user's command can run
 * (the publish sidecar, then the fetch init container); from the bundle Node
 * needs no TypeScript compiler and no module resolution, which is most of what
 * those two starts cost through tsx.
 *
 * The launcher image builds it with `build-bundle.ts`; tests and benchmarks
 * that run pods as host processes use {@link podLauncherBundleCommand}.
 *
 * Not imported by the in-pod program itself (it would pull esbuild into the bundle).
 */
import { dirname, join } from 'node:path';
import { bundleProgram, launcherDir } from '@kiln/launcher';

/** The in-pod program's entry, in this checkout. */
export function podLauncherEntry(): string {
  return join(dirname(dirname(launcherDir())), 'libs', 'k8s-activities', 'src', 'in-pod', 'cli.ts');
}

/**
 * Bundles the in-pod launcher and returns the bundle's path: `outFile` when
 * given, otherwise a file in the Kiln cache named by its content (built once).
 *
 * @example
 * ```ts
 * buildPodLauncherBundle({ outFile: '/opt/kiln/kiln-pod-launcher.mjs', launcherDir: '/opt/kiln/launcher' });
 * ```
 */
export function buildPodLauncherBundle(options: { outFile?: string; launcherDir?: string } = {}): string {
  return bundleProgram(podLauncherEntry(), { name: 'kiln-pod-launcher', ...options });
}

let cached: string | undefined;

/**
 * The launcher command for pods whose containers run as processes on this host
 * (tools/testenv's node agent): this checkout's in-pod launcher, bundled into
 * the cache on first use. Give it as the `launcherCommand` pod default, or
 * JSON-encoded in `KILN_K8S_LAUNCHER_COMMAND`.
 *
 * @example
 * ```ts
 * createK8sActivities({ ..., pod: { launcherCommand: podLauncherBundleCommand() } });
 * ```
 */
export function podLauncherBundleCommand(): string[] {
  cached ??= buildPodLauncherBundle();
  return [process.execPath, cached];
}
