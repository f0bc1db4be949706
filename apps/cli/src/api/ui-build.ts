/**
 * The web UI for `kiln dev`: apps/ui built with Vite into apps/ui/dist, once per
 * source: the build records a hash of its inputs (apps/ui's sources and config,
 * the libraries it bundles, the lockfile) and a later start with the same hash
 * reuses it, so `kiln dev` starts in seconds after the first time.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CliError } from '../errors';

/** What the build reads: apps/ui itself, the libraries it bundles from source, and the lockfile. */
const inputs = [
  'apps/ui/src',
  'apps/ui/public',
  'apps/ui/build',
  'apps/ui/index.html',
  'apps/ui/vite.config.ts',
  'libs/api-contract/src',
  'libs/engine/contract/src',
  'libs/ir/src',
  'libs/store-layout/src',
  'package-lock.json',
];

const hashFile = 'kiln-source-hash';

function files(root: string, path: string): string[] {
  const full = join(root, path);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full)
    .sort()
    .flatMap((name) => files(root, join(path, name)));
}

/** A sha256 over every input file's path and bytes. */
export function uiSourceHash(root: string): string {
  const hash = createHash('sha256');
  for (const path of inputs.flatMap((input) => files(root, input))) {
    hash.update(`${path}\0`);
    hash.update(readFileSync(join(root, path)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/**
 * apps/ui/dist for this checkout's UI sources, building it when they changed.
 *
 * @example
 * ```ts
 * const { dir, built } = await ensureUiBuild(root, (line) => console.error(line));
 * ```
 */
export async function ensureUiBuild(
  root: string,
  say: (line: string) => void,
): Promise<{ dir: string; built: boolean }> {
  const dir = join(root, 'apps', 'ui', 'dist');
  const hash = uiSourceHash(root);
  const recorded = join(dir, hashFile);
  if (existsSync(recorded) && readFileSync(recorded, 'utf8').trim() === hash && existsSync(join(dir, 'index.html')))
    return { dir, built: false };
  say('kiln dev: building the web UI (apps/ui, once per change of its sources)');
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const config = join(root, 'apps', 'ui', 'vite.config.ts');
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [vite, 'build', '--config', config, '--logLevel', 'warn'], {
      cwd: root,
      // A production build whatever the caller's NODE_ENV (a test runner sets `test`, which Vite would honour).
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => output.push(chunk.toString());
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0)
    throw new CliError(`building the web UI failed (vite build exited ${code}):\n${output.join('').slice(-4000)}`);
  writeFileSync(recorded, `${hash}\n`);
  say(`kiln dev: web UI built into ${relative(root, dir)}`);
  return { dir, built: true };
}
