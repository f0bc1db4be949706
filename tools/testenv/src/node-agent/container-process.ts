// One container = one local process tree in its own process group and mount
// namespace. The image is ignored; volumeMounts become bind mounts inside the
// namespace so the command sees them at their mountPath.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { writeFileSync } from 'node:fs';
import { CriLogWriter } from './cri-log.js';
import type { Mount } from './volumes.js';

export interface ContainerLaunch {
  argv: string[];
  env: Map<string, string>;
  mounts: Mount[];
  workingDir: string;
  logFile: string;
  pidFile: string;
}

export interface ContainerExit {
  exitCode: number;
  signal?: string;
  finishedAt: Date;
}

// Constant script: every user value (paths, command, args) arrives as a
// positional parameter, so nothing user-controlled is ever parsed by the shell.
// Arguments: <n> then n triples <source> <target> <ro|rw>, then <workingDir>, then argv.
const SETUP_SCRIPT = [
  'n=$1; shift',
  'while [ "$n" -gt 0 ]; do',
  '  /usr/bin/mount --bind "$1" "$2" || { echo "kiln node agent: cannot mount $1 at $2" >&2; exit 125; }',
  '  if [ "$3" = ro ]; then /usr/bin/mount -o remount,bind,ro "$2" || exit 125; fi',
  '  shift 3; n=$((n-1))',
  'done',
  'cd "$1" || exit 126',
  'shift',
  'exec "$@"',
].join('\n');

export class ContainerProcess {
  readonly pid: number;
  readonly startedAt = new Date();
  readonly exited: Promise<ContainerExit>;

  constructor(launch: ContainerLaunch) {
    const mountArgs = launch.mounts.flatMap((m) => [m.source, m.target, m.readOnly ? 'ro' : 'rw']);
    const args = [
      '--mount',
      '--propagation',
      'private',
      '--',
      '/bin/sh',
      '-c',
      SETUP_SCRIPT,
      'kiln-container',
      String(launch.mounts.length),
      ...mountArgs,
      launch.workingDir,
      ...launch.argv,
    ];
    const child = spawn('/usr/bin/unshare', args, {
      env: Object.fromEntries(launch.env),
      stdio: ['ignore', 'pipe', 'pipe'],
      // A new session makes the child a process-group leader, so the whole tree
      // can be signalled at once with kill(-pid).
      detached: true,
    });
    if (child.pid === undefined) throw new Error('spawn of unshare failed');
    this.pid = child.pid;
    writeFileSync(launch.pidFile, String(this.pid));

    const log = new CriLogWriter(launch.logFile);
    if (child.stdout) log.attach(child.stdout, 'stdout');
    if (child.stderr) log.attach(child.stderr, 'stderr');

    this.exited = new Promise<ContainerExit>((resolve) => {
      // spawn errors (unshare missing) look like a runtime StartError: exit code 128.
      child.on('error', () => resolve({ exitCode: 128, finishedAt: new Date() }));
      child.on('exit', (code, signal) => {
        // When a container's main process ends its runtime kills whatever it left behind.
        killGroup(this.pid, 'SIGKILL');
        const exitCode = code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0);
        const finishedAt = new Date();
        // A process that escaped the group could hold the pipes open forever; don't wait on it.
        const flushed = Promise.race([log.done(), new Promise((r) => setTimeout(r, 2000).unref())]);
        void flushed.then(() => resolve({ exitCode, signal: signal ?? undefined, finishedAt }));
      });
    });
  }

  /** Like a container runtime's stop: the graceful signal goes to the main process only. */
  terminate(sig: NodeJS.Signals = 'SIGTERM'): void {
    try {
      process.kill(this.pid, sig);
    } catch {
      // already gone
    }
  }

  /** SIGKILL for everything in the container. */
  kill(): void {
    killGroup(this.pid, 'SIGKILL');
  }
}

export function killGroup(pid: number, sig: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, sig);
    return true;
  } catch {
    return false; // ESRCH: already gone
  }
}
