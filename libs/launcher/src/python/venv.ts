/**
 * One virtualenv per (interpreter, package set), cached across steps and runs
 * under `${KILN_CACHE_DIR:-~/.cache/kiln}/venvs/py-<sha>`. A venv is built in a
 * temp folder and renamed into place when complete, so a crash mid-install never
 * leaves a half-built venv that looks usable; a lock file keeps concurrent steps
 * from building the same one twice.
 */
import { execFile } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { open, mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { LaunchError } from '../errors';
import { runProcess, type LogListener } from '../process';
import type { WriteStream } from 'node:fs';

const execFileAsync = promisify(execFile);

export interface VenvOptions {
  /** The interpreter to base venvs on. Default `$KILN_PYTHON` or `python3`. */
  python?: string;
  /** Default `$KILN_CACHE_DIR` or `~/.cache/kiln`. */
  cacheDir?: string;
  log: WriteStream;
  onLog?: LogListener;
  signal?: AbortSignal;
  /** Give up waiting for another process's build after this long. Default 20 minutes. */
  lockTimeoutMs?: number;
}

/** The cache folder for venvs and other reusable downloads. */
export function kilnCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env['KILN_CACHE_DIR'] || join(homedir(), '.cache', 'kiln');
}

/**
 * The Python interpreter to run a component with `packages` installed: the
 * base interpreter when there are none, otherwise a cached venv's.
 *
 * @example
 * ```ts
 * const python = await ensurePython(['six==1.16.0'], { log });
 * // '/home/me/.cache/kiln/venvs/py-3f2a…/bin/python'
 * ```
 */
export async function ensurePython(packages: string[], options: VenvOptions): Promise<string> {
  const base = options.python ?? process.env['KILN_PYTHON'] ?? 'python3';
  if (packages.length === 0) return base;
  const sorted = [...new Set(packages.map((p) => p.trim()))].sort();
  return ensureVirtualenv({ packages: sorted }, [sorted], sorted.join(' '), options);
}

/**
 * A cached virtualenv (see {@link ensurePython}) made by running `pip install`
 * once per entry of `installs`, in order, each with its arguments as given
 * (requirements and pip options). `key` names the package set in the cache key
 * next to the interpreter; `label` is what the log says is installed. Returns
 * the venv's `bin/python`.
 *
 * @example
 * ```ts
 * const python = await ensureVirtualenv({ pipInstalls }, pipInstalls, 'kfp==2.17.3', { log });
 * ```
 */
export async function ensureVirtualenv(
  key: Record<string, unknown>,
  installs: string[][],
  label: string,
  options: VenvOptions,
): Promise<string> {
  const base = options.python ?? process.env['KILN_PYTHON'] ?? 'python3';
  const identity = await interpreterIdentity(base);
  const digest = createHash('sha256')
    .update(JSON.stringify({ python: identity, ...key }))
    .digest('hex')
    .slice(0, 24);
  const venvs = join(kilnCacheDir(), 'venvs');
  const target = join(venvs, `py-${digest}`);
  const python = join(target, 'bin', 'python');
  if (await isFile(python)) return python;

  await mkdir(venvs, { recursive: true });
  const release = await acquireLock(`${target}.lock`, options);
  try {
    // Another process may have finished the build while we waited for the lock.
    if (await isFile(python)) return python;
    say(options, `creating virtualenv ${target} for ${label}`);
    const building = join(venvs, `.building-py-${digest}-${randomUUID()}`);
    try {
      await buildVenv(base, building, installs, options);
      // bin/python finds its venv from its own location, so the renamed venv works
      // (console-script shebangs keep the temp path; we only ever run bin/python).
      await rename(building, target);
    } catch (error) {
      await rm(building, { recursive: true, force: true });
      throw error;
    }
    return python;
  } finally {
    await release();
  }
}

async function buildVenv(base: string, building: string, installs: string[][], options: VenvOptions): Promise<void> {
  // Without its own pip: the base interpreter's pip installs into it (`--python`, pip >= 22.3),
  // which saves seconds of ensurepip per venv.
  await step(options, [base, '-m', 'venv', '--without-pip', building], 'VenvCreateFailed', 'creating the virtualenv');
  for (const args of installs) {
    await step(
      options,
      [
        base,
        '-m',
        'pip',
        '--python',
        join(building, 'bin', 'python'),
        'install',
        '--no-input',
        '--disable-pip-version-check',
        ...args,
      ],
      'PipInstallFailed',
      `pip install ${args.join(' ')}`,
    );
  }
}

async function step(options: VenvOptions, argv: string[], reason: string, what: string): Promise<void> {
  const outcome = await runProcess(argv, {
    cwd: kilnCacheDir(),
    env: process.env,
    log: options.log,
    onLog: options.onLog,
    signal: options.signal,
  });
  if (outcome.stoppedBy === 'cancel') throw new LaunchError('cancelled', 'Cancelled', `cancelled while ${what}`);
  if (outcome.exitCode !== 0) {
    // Retryable: a package index hiccup is the common cause; a typo in a package name fails every attempt alike.
    throw new LaunchError(
      'infrastructure',
      reason,
      `${what} failed with exit code ${outcome.exitCode}${outcome.spawnError ? ` (${outcome.spawnError.message})` : ''}`,
    );
  }
}

async function interpreterIdentity(python: string): Promise<string> {
  try {
    const { stdout } = await execFileAsync(python, [
      '-c',
      'import sys, os; print(os.path.realpath(sys.executable)); print(sys.version)',
    ]);
    return stdout.trim();
  } catch (error) {
    throw new LaunchError(
      'infrastructure',
      'PythonNotFound',
      `cannot run the Python interpreter "${python}": ${(error as Error).message}`,
      { cause: error },
    );
  }
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}

/** An exclusive lock file holding the owner's pid; a lock whose owner died is taken over. */
async function acquireLock(path: string, options: VenvOptions): Promise<() => Promise<void>> {
  const deadline = Date.now() + (options.lockTimeoutMs ?? 20 * 60_000);
  let announced = false;
  for (;;) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number(await readFile(path, 'utf8').catch(() => ''));
    // No pid after a few seconds: its creator died between creating and writing it.
    const ownerless =
      !(owner > 0) &&
      Date.now() -
        (await stat(path).then(
          (s) => s.mtimeMs,
          () => 0,
        )) >
        5000;
    if ((owner > 0 && !isAlive(owner)) || ownerless) {
      await rm(path, { force: true });
      continue;
    }
    if (options.signal?.aborted)
      throw new LaunchError('cancelled', 'Cancelled', 'cancelled while waiting for a virtualenv build');
    if (Date.now() > deadline)
      throw new LaunchError(
        'infrastructure',
        'VenvLockTimeout',
        `timed out waiting for ${path} (held by pid ${owner})`,
      );
    if (!announced) say(options, `waiting for another step to finish building this virtualenv (pid ${owner})`);
    announced = true;
    await new Promise((r) => setTimeout(r, 250));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function say(options: VenvOptions, line: string): void {
  options.log.write(`[kiln] ${line}\n`);
  options.onLog?.(`[kiln] ${line}`, 'launcher');
}
