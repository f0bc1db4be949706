/**
 * KFP's lightweight Python components start with an embedded
 * `sh -c 'pip install kfp==… && "$0" "$@"'` script (`kfp.pythonBootstrap` in
 * the IR). Run as written it installs into whatever `python3` is first on
 * PATH: on the local executor that is the host's interpreter, in a pod the
 * image's. Kiln keeps the installs out of both:
 * - local executor: the same `pip install`s go into a cached virtualenv (one
 *   per distinct list of installs) and the command after the script runs with
 *   that virtualenv first on PATH;
 * - pod: the command runs as written inside a throw-away virtualenv in the work
 *   folder that sees the image's packages (so an externally managed Python, as
 *   Debian's, still works and nothing is installed into the image's).
 */
import type { Component } from '@kiln/ir';
import { dirname } from 'node:path';
import type { WorkLayout } from '../layout';
import { ensureVirtualenv, type VenvOptions } from '../python/venv';

/** The IR's record of the bootstrap script. */
export interface KfpPythonBootstrap {
  commandPrefix: number;
  pipInstalls: string[][];
  venv: boolean;
}

/**
 * The bootstrap of a component, when its command starts with one that can be
 * cut off (plain strings; a placeholder there would shift the argv).
 *
 * @example
 * ```ts
 * kfpBootstrapOf(component)?.commandPrefix // 3
 * ```
 */
export function kfpBootstrapOf(component: Component): KfpPythonBootstrap | undefined {
  const impl = component.implementation;
  if (impl.type !== 'container' || !impl.kfp?.pythonBootstrap) return undefined;
  const bootstrap = impl.kfp.pythonBootstrap;
  const prefix = impl.command.slice(0, bootstrap.commandPrefix);
  if (prefix.length !== bootstrap.commandPrefix || !prefix.every((arg) => typeof arg === 'string')) return undefined;
  return bootstrap;
}

/** What the local executor runs instead of the bootstrap script. */
export interface LocalBootstrap {
  /** How many argv elements (the script) to drop. */
  skip: number;
  /** The cached virtualenv's `bin`, to put first on PATH. */
  binDir: string;
}

/**
 * Runs the bootstrap's `pip install`s into a cached virtualenv (once per
 * distinct list) for the local executor.
 *
 * @example
 * ```ts
 * const local = await prepareLocalBootstrap(bootstrap, { log });
 * spawn(argv.slice(local.skip), { env: { ...env, PATH: `${local.binDir}:${env.PATH}` } });
 * ```
 */
export async function prepareLocalBootstrap(
  bootstrap: KfpPythonBootstrap,
  options: VenvOptions,
): Promise<LocalBootstrap> {
  const label = bootstrap.pipInstalls.map((args) => args.filter((a) => !a.startsWith('-')).join(' ')).join('; ');
  const python = await ensureVirtualenv(
    { kfpPipInstalls: bootstrap.pipInstalls },
    bootstrap.pipInstalls,
    label,
    options,
  );
  return { skip: bootstrap.commandPrefix, binDir: dirname(python) };
}

/**
 * The pod's wrapper: makes a virtualenv with the image's packages visible in
 * the work folder, puts it first on PATH and runs the command as written. An
 * image that cannot make one (no `venv` module) runs it as KFP would.
 * Arguments: `<env dir> <command...>`.
 */
const podVenvScript = [
  'env_dir=$1; shift',
  'if python3 -m venv --system-site-packages --without-pip "$env_dir" 2>/dev/null; then',
  '  PATH="$env_dir/bin:$PATH"; export PATH',
  'else',
  `  echo "[kiln] python3 -m venv is not available: KFP's pip install goes into the image's Python" >&2`,
  'fi',
  'exec "$@"',
].join('\n');

/**
 * The argv a pod's main container runs for a KFP step with a bootstrap.
 *
 * @example
 * ```ts
 * podBootstrapCommand(layout, argv) // ['/bin/sh', '-c', '<make venv>', 'kiln-kfp-venv', '/kiln/work/.kiln-python', ...argv]
 * ```
 */
export function podBootstrapCommand(layout: WorkLayout, argv: string[]): string[] {
  return ['/bin/sh', '-c', podVenvScript, 'kiln-kfp-venv', layout.pythonEnvDir, ...argv];
}
