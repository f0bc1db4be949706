/**
 * The static launcher (apps/static-launcher, Go) built from this checkout for pods whose containers
 * run as processes on this host (tools/testenv's node agent), as the launcher image builds it. The
 * binary is cached under Kiln's cache folder by a digest of its sources, so a second call, or a
 * second run of the tests, builds nothing. Not imported by the in-pod program.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { kilnCacheDir, launcherDir } from '@kiln/launcher';

/** apps/static-launcher in this checkout. */
export function staticLauncherSourceDir(): string {
  return join(dirname(dirname(launcherDir())), 'apps', 'static-launcher');
}

let built: string | undefined;

/**
 * The static launcher's command on this host, built with `go build` on first use (Go must be on
 * PATH: tools/bootstrap and the CI machine have it). Give it as the `staticLauncherCommand` pod
 * default, or JSON-encoded in `KILN_K8S_STATIC_LAUNCHER_COMMAND`.
 *
 * @example
 * ```ts
 * createK8sActivities({ ..., pod: { launcherCommand: podLauncherBundleCommand(), staticLauncherCommand: staticLauncherHostCommand() } });
 * ```
 */
export function staticLauncherHostCommand(): string[] {
  built ??= buildStaticLauncher();
  return [built];
}

function buildStaticLauncher(): string {
  const source = staticLauncherSourceDir();
  const files = readdirSync(source)
    .filter((name) => name.endsWith('.go') || name === 'go.mod')
    .sort();
  const digest = createHash('sha256');
  for (const name of files)
    digest
      .update(name)
      .update('\0')
      .update(readFileSync(join(source, name)))
      .update('\0');
  const dir = join(kilnCacheDir(), 'static-launcher', digest.digest('hex').slice(0, 16));
  const binary = join(dir, 'kiln-static-launcher');
  if (existsSync(binary)) return binary;
  mkdirSync(dir, { recursive: true });
  const partial = `${binary}.${process.pid}.tmp`;
  // As the launcher image builds it: static (no cgo), no debug information.
  const go = spawnSync('go', ['build', '-trimpath', '-ldflags=-s -w', '-o', partial, '.'], {
    cwd: source,
    env: { ...process.env, CGO_ENABLED: '0' },
    encoding: 'utf8',
  });
  if (go.error || go.status !== 0) {
    throw new Error(
      `could not build the static launcher (go build in ${source}): ${go.error?.message ?? go.stderr.trim()}`,
    );
  }
  renameSync(partial, binary);
  return binary;
}
