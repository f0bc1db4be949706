/**
 * The launcher in a child process: a crashing or memory-hungry step cannot take
 * the worker down. This file starts it, follows its JSON-line events, and
 * stops it on request (SIGTERM to the launcher, which stops the step's process
 * group; SIGKILL to both after a grace period).
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { killGroup, type LaunchFailure, type LauncherEvent, type LauncherOutcome } from '@kiln/launcher';

export interface StepProcessOptions {
  /** argv prefix that starts the launcher CLI, e.g. `[node, --import, tsx, .../cli.ts]`. */
  command: string[];
  cwd: string;
  args: string[];
  resultFile: string;
  onEvent: (event: LauncherEvent) => void;
  /** Called with the launcher's pid (= its process group id) once it is spawned. */
  onLauncherSpawn?: (pid: number) => void;
  signal: AbortSignal;
  /** Between SIGTERM and SIGKILL. */
  graceMs: number;
}

/** Runs the launcher to completion; a launcher that dies without a result becomes an infrastructure failure. */
export function runStepProcess(options: StepProcessOptions): Promise<LauncherOutcome> {
  const [command, ...prefix] = options.command;
  if (!command) throw new Error('empty launcher command');
  return new Promise((resolvePromise) => {
    const child = spawn(command, [...prefix, ...options.args], {
      cwd: options.cwd,
      // Its own process group, apart from the worker's: signals to the worker do not hit steps.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stepPid: number | undefined;
    let stderr = '';
    let killTimer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      if (child.pid === undefined) return;
      // The launcher turns SIGTERM into a graceful stop of the step's process group and still saves the log.
      child.kill('SIGTERM');
      killTimer = setTimeout(() => {
        if (child.pid !== undefined) killGroup(child.pid, 'SIGKILL');
        if (stepPid !== undefined) killGroup(stepPid, 'SIGKILL');
      }, options.graceMs);
    };
    if (options.signal.aborted) queueMicrotask(onAbort);
    options.signal.addEventListener('abort', onAbort, { once: true });

    child.on('spawn', () => child.pid !== undefined && options.onLauncherSpawn?.(child.pid));
    createInterface({ input: child.stdout }).on('line', (line) => {
      let event: LauncherEvent;
      try {
        event = JSON.parse(line) as LauncherEvent;
      } catch {
        return;
      }
      if (event.event === 'spawned') stepPid = event.pid;
      options.onEvent(event);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      // Only the end matters, for the crash message.
      stderr = (stderr + chunk.toString('utf8')).slice(-8192);
    });
    const finish = async (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(killTimer);
      options.signal.removeEventListener('abort', onAbort);
      try {
        resolvePromise(JSON.parse(await readFile(options.resultFile, 'utf8')) as LauncherOutcome);
      } catch {
        const failure: LaunchFailure = {
          failureType: options.signal.aborted ? 'cancelled' : 'infrastructure',
          reason: 'LauncherCrashed',
          message: `the launcher process ended (${signal ?? `exit code ${code}`}) without reporting a result`,
          logTail: stderr.split('\n').slice(-50).join('\n'),
        };
        resolvePromise({ ok: false, failure });
      }
    };
    child.on('error', () => void finish(null, null));
    child.on('close', (code, signal) => void finish(code, signal));
  });
}
