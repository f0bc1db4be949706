/**
 * Running the step's command: argv straight to `spawn` (no shell), its own
 * process group (so cancelling stops everything it started), stdout and stderr
 * appended to the log file and streamed line by line to a callback.
 */
import { spawn } from 'node:child_process';
import type { EventEmitter } from 'node:events';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

export type LogStream = 'stdout' | 'stderr' | 'launcher';
/** Receives every log line as it arrives. */
export type LogListener = (line: string, stream: LogStream) => void;

/** Where the command's output goes: a file's write stream, or a capped log (`StepLog.commandOutput`). */
export interface LogSink {
  write(chunk: Buffer): unknown;
}

export interface RunProcessOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** The step log; both streams are appended as they arrive. */
  log: LogSink;
  onLog?: LogListener;
  /** Called with the pid right after spawn (the process group id too). */
  onSpawn?: (pid: number) => void;
  /** Aborting stops the process group: SIGTERM, then SIGKILL after `graceMs`. */
  signal?: AbortSignal;
  timeoutSeconds?: number;
  /** Grace between SIGTERM and SIGKILL. Default 5 s. */
  graceMs?: number;
  /** Who starts the command: default {@link directSpawner} (this process); a worker passes its `SpawnHelper`. */
  spawner?: ProcessSpawner;
}

export interface ProcessOutcome {
  /** Exit code; for a signal, 128 + its number as a shell would report it. */
  exitCode: number;
  /** The signal that ended it, if any. */
  signal?: NodeJS.Signals;
  /** Why we stopped it, if we did. */
  stoppedBy?: 'cancel' | 'timeout';
  /** `spawn` itself failed (e.g. ENOENT: no such command). */
  spawnError?: NodeJS.ErrnoException;
  /** The process that started the command (the spawn helper) died before the command's end was known. */
  lostBy?: string;
}

/** What `runProcess` needs of a started command: a `ChildProcess` has all of it. */
export interface SpawnedProcess extends EventEmitter {
  /** Set once started (before `'spawn'` is emitted). */
  readonly pid?: number | undefined;
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
}

/** Starts a command in its own process group with stdout and stderr piped, stdin closed. */
export interface ProcessSpawner {
  spawn(command: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv }): SpawnedProcess;
  /** Whether the spawner itself kills this process group if this process dies (so no other watchdog is needed). */
  guards?(pid: number): boolean;
}

/**
 * `child_process.spawn` in this process: `detached` (its own process group), stdio piped.
 *
 * @example
 * ```ts
 * const child = directSpawner.spawn('true', [], { cwd: '/tmp', env: process.env });
 * child.on('close', (code) => console.log(code));
 * ```
 */
export const directSpawner: ProcessSpawner = {
  spawn: (command, args, options) =>
    spawn(command, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] }),
};

/** The error code of a command whose helper died before the command's end was reported. */
export const SPAWN_HELPER_LOST = 'EKILNSPAWNHELPERLOST';

const signalNumbers: Partial<Record<NodeJS.Signals, number>> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGABRT: 6,
  SIGKILL: 9,
  SIGSEGV: 11,
  SIGPIPE: 13,
  SIGTERM: 15,
};

/** Signals a process group, ignoring "no such process" (it already ended). */
export function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/**
 * Runs `argv` to completion and reports how it ended. Never throws for the
 * command's own failures: classification is the caller's job.
 *
 * @example
 * ```ts
 * const outcome = await runProcess(['python', 'train.py'], { cwd, env: process.env, log });
 * if (outcome.exitCode !== 0) ...
 * ```
 */
export function runProcess(argv: string[], options: RunProcessOptions): Promise<ProcessOutcome> {
  const [command, ...args] = argv;
  if (command === undefined)
    return Promise.resolve({
      exitCode: 127,
      spawnError: Object.assign(new Error('empty command'), { code: 'ENOENT' }),
    });
  return new Promise((resolvePromise) => {
    const child = (options.spawner ?? directSpawner).spawn(command, args, { cwd: options.cwd, env: options.env });
    let stoppedBy: ProcessOutcome['stoppedBy'];
    let killTimer: NodeJS.Timeout | undefined;
    let settled = false;

    const terminate = () => {
      if (child.pid === undefined) return;
      killGroup(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => child.pid !== undefined && killGroup(child.pid, 'SIGKILL'), options.graceMs ?? 5000);
    };
    const stop = (reason: 'cancel' | 'timeout') => {
      if (stoppedBy || settled) return;
      stoppedBy = reason;
      // A helper reports the pid a moment after the request: stop the command as soon as it has one.
      if (child.pid !== undefined) terminate();
      else child.once('spawn', terminate);
    };
    const onAbort = () => stop('cancel');
    if (options.signal?.aborted) queueMicrotask(onAbort);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const timeout = options.timeoutSeconds
      ? setTimeout(() => stop('timeout'), options.timeoutSeconds * 1000)
      : undefined;

    const finish = (outcome: ProcessOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timeout);
      clearTimeout(killTimer);
      options.signal?.removeEventListener('abort', onAbort);
      resolvePromise(stoppedBy ? { ...outcome, stoppedBy } : outcome);
    };

    child.on('spawn', () => child.pid !== undefined && options.onSpawn?.(child.pid));
    if (child.stdout) pipeLines(child.stdout, 'stdout', options);
    if (child.stderr) pipeLines(child.stderr, 'stderr', options);
    child.on('error', (error: NodeJS.ErrnoException) =>
      finish(
        error.code === SPAWN_HELPER_LOST
          ? { exitCode: 1, lostBy: error.message }
          : { exitCode: 127, spawnError: error },
      ),
    );
    // Background processes the command left behind hold its pipes open; 'close' would wait for them forever.
    child.on('exit', () => child.pid !== undefined && killGroup(child.pid, 'SIGKILL'));
    // 'close' waits for stdio to drain, so the log is complete when we resolve.
    child.on('close', (code: number | null, signal: NodeJS.Signals | null) => {
      if (signal) finish({ exitCode: 128 + (signalNumbers[signal] ?? 0), signal });
      else finish({ exitCode: code ?? 1 });
    });
  });
}

function pipeLines(stream: NodeJS.ReadableStream, name: LogStream, options: RunProcessOptions): void {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  stream.on('data', (chunk: Buffer) => {
    options.log.write(chunk);
    if (!options.onLog) return;
    pending += decoder.write(chunk);
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) options.onLog(line, name);
  });
  stream.on('end', () => {
    pending += decoder.end();
    if (pending !== '' && options.onLog) options.onLog(pending, name);
  });
}
