/**
 * Step processes die with their worker. A step's command (and, in `'process'` mode, the launcher)
 * runs in its own process group, so signals meant for the worker do not hit it; but then nothing
 * stops it when the worker is killed with SIGKILL, and Node has no `prctl(PR_SET_PDEATHSIG)`.
 *
 * So each worker process starts one tiny watchdog process (lazily, at its first step), in a
 * session of its own (a kill of the worker's process group does not reach it), whose stdin is a
 * pipe from the worker. The worker writes `+<pgid>` when a step's group starts and `-<pgid>` when
 * it has ended. The kernel closes the pipe's write end however the worker ends — exit, crash,
 * OOM kill, SIGKILL — and the watchdog, reading end-of-file, SIGKILLs every group still listed
 * and exits. No polling and no per-step process: one Node process per worker.
 *
 * Groups started by the spawn helper (`SpawnHelper` of `@kiln/launcher`, the in-process default) are not
 * listed here: the helper kills them itself when its channel from the worker closes.
 *
 * What it cannot cover: a group spawned in the instant between `spawn` and the `+` line reaching
 * the pipe. For that window the retry still stops what the last heartbeat names (see
 * `orphans.ts`), and a step that finished anyway has its result adopted (its executor-output record).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Socket } from 'node:net';

/** The watchdog's program: reads `+pgid` / `-pgid` lines; at end-of-file kills the listed groups. */
const watchdogProgram = `
const groups = new Set();
let pending = '';
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => {});
process.stdin.on('data', (chunk) => {
  pending += chunk;
  let newline;
  while ((newline = pending.indexOf('\\n')) >= 0) {
    const line = pending.slice(0, newline);
    pending = pending.slice(newline + 1);
    const pgid = Number(line.slice(1));
    if (!Number.isInteger(pgid) || pgid <= 1) continue;
    if (line[0] === '+') groups.add(pgid);
    else if (line[0] === '-') groups.delete(pgid);
  }
});
const killAll = () => {
  for (const pgid of groups) {
    try { process.kill(-pgid, 'SIGKILL'); } catch {}
  }
  process.exit(0);
};
process.stdin.on('end', killAll);
process.stdin.on('error', killAll);
`;

let watchdog: ChildProcess | undefined;

function running(): ChildProcess | undefined {
  if (watchdog && watchdog.exitCode === null && watchdog.signalCode === null && watchdog.stdin?.writable) {
    return watchdog;
  }
  try {
    const child = spawn(process.execPath, ['-e', watchdogProgram], {
      // A session of its own: a kill of the worker's process group must leave it to do its job.
      detached: true,
      stdio: ['pipe', 'ignore', 'ignore'],
      // Nothing of the worker's environment is needed to kill process groups.
      env: {},
    });
    // Neither the process nor its pipe may keep the worker's event loop alive.
    child.unref();
    child.stdin?.on('error', () => undefined);
    if (child.stdin instanceof Socket) child.stdin.unref();
    watchdog = child;
    return child;
  } catch {
    // Without a watchdog, the retry's orphan stop (orphans.ts) is what is left.
    return undefined;
  }
}

/**
 * Puts a process group under the watchdog: if this worker dies, the group is killed. Returns
 * the function that takes it off again, to call once the group has ended.
 *
 * @example
 * ```ts
 * const release = killWithWorker(child.pid);
 * child.on('exit', release);
 * ```
 */
export function killWithWorker(pgid: number): () => void {
  const dog = running();
  if (!dog?.stdin) return () => undefined;
  dog.stdin.write(`+${pgid}\n`);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (dog.stdin?.writable) dog.stdin.write(`-${pgid}\n`);
  };
}

/** The watchdog's pid, once started (for tests and diagnostics). */
export function watchdogPid(): number | undefined {
  return watchdog?.pid;
}
