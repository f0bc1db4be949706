/**
 * Starting step commands from a small helper process instead of the worker.
 *
 * Node starts a child with `fork` + `exec` (libuv on Linux), and `fork` copies the parent's page
 * tables and write-protects its memory: in a worker of ~400 MiB resident that blocks the worker's
 * only JavaScript thread for 15–25 ms per step and costs as much CPU again in copy-on-write faults
 * afterwards (measured on the 2-CPU bench host: 1.3 ms per spawn from a 47 MiB process, 25 ms from
 * a 500 MiB one). A worker running many short steps spends a large share of its time there.
 *
 * So the worker starts one helper, a bare `node -e` program of a few dozen lines (~45 MiB), and
 * asks it over an IPC channel to start each command. The helper forwards the command's pid, its
 * output and its end back; the worker sees the same events as from a `ChildProcess`
 * ({@link SpawnedProcess}), so `runProcess` does not care which started the command. Signals
 * (cancel, timeout) still go from the worker straight to the command's process group.
 *
 * The helper also guards the groups it started: in a session of its own, deaf to SIGINT/SIGTERM
 * (a Ctrl-C of `kiln run` must not cut the steps' output mid-way), it SIGKILLs every group still
 * running when the worker's end of the channel closes (the worker exited or was killed), then exits.
 * If the helper itself dies, the steps it was running end as infrastructure failures
 * (`SpawnHelperLost`, retryable) and the next step starts a new helper; if it cannot be started
 * at all, commands are spawned from the worker as before.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { directSpawner, killGroup, SPAWN_HELPER_LOST, type ProcessSpawner, type SpawnedProcess } from './process';

/** Helper → worker messages. */
type HelperMessage =
  | { type: 'spawn'; id: number; pid: number }
  | { type: 'error'; id: number; code?: string; errno?: number; syscall?: string; path?: string; message: string }
  | { type: 'data'; id: number; fd: 1 | 2; chunk: Uint8Array }
  | { type: 'exit' | 'close'; id: number; code: number | null; signal: NodeJS.Signals | null };

/**
 * The helper's program (run with `node -e`, CommonJS, nothing but Node built-ins). Flow control:
 * a command's output is paused while more than 16 of its chunks are unacknowledged by the IPC
 * channel, so a command printing faster than the worker reads costs the helper bounded memory.
 */
const helperProgram = `
const { spawn } = require('node:child_process');
const groups = new Set();
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => {});
const killGroup = (pid) => { try { process.kill(-pid, 'SIGKILL'); } catch {} };
const tell = (message, done) => { try { process.send(message, done); } catch { if (done) done(); } };
function forward(id, stream, fd) {
  let unacked = 0;
  stream.on('data', (chunk) => {
    unacked++;
    if (unacked > 16) stream.pause();
    tell({ type: 'data', id, fd, chunk }, () => { unacked--; if (unacked <= 4) stream.resume(); });
  });
}
function start(request) {
  const id = request.id;
  let child;
  try {
    child = spawn(request.command, request.args, { cwd: request.cwd, env: request.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    tell({ type: 'error', id, code: error.code, message: String(error.message) });
    return;
  }
  child.on('spawn', () => { groups.add(child.pid); tell({ type: 'spawn', id, pid: child.pid }); });
  child.on('error', (error) => tell({ type: 'error', id, code: error.code, errno: error.errno, syscall: error.syscall, path: error.path, message: String(error.message) }));
  forward(id, child.stdout, 1);
  forward(id, child.stderr, 2);
  // Background processes the command left behind would hold its pipes open: the group goes with its leader.
  child.on('exit', (code, signal) => { if (child.pid) { killGroup(child.pid); groups.delete(child.pid); } tell({ type: 'exit', id, code, signal }); });
  child.on('close', (code, signal) => tell({ type: 'close', id, code, signal }));
}
process.on('message', (request) => { if (request && request.type === 'spawn') start(request); });
process.on('disconnect', () => { for (const pgid of groups) killGroup(pgid); process.exit(0); });
`;

/** A command started by the helper, as the worker sees it. */
class HelperChild extends EventEmitter implements SpawnedProcess {
  pid: number | undefined;
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  private exited?: { code: number | null; signal: NodeJS.Signals | null };
  private ended = false;

  receive(message: HelperMessage): void {
    switch (message.type) {
      case 'spawn':
        this.pid = message.pid;
        this.emit('spawn');
        return;
      case 'data':
        (message.fd === 1 ? this.stdout : this.stderr).write(
          Buffer.from(message.chunk.buffer, message.chunk.byteOffset, message.chunk.byteLength),
        );
        return;
      case 'error': {
        const { type: _type, id: _id, message: text, ...fields } = message;
        this.fail(Object.assign(new Error(text), fields));
        return;
      }
      case 'exit':
        this.exited = { code: message.code, signal: message.signal };
        this.emit('exit', message.code, message.signal);
        return;
      case 'close':
        this.close(message.code, message.signal);
    }
  }

  /** The helper is gone: a command it had not seen end is stopped and reported lost. */
  lose(reason: string): void {
    if (this.exited) return this.close(this.exited.code, this.exited.signal);
    if (this.pid !== undefined) killGroup(this.pid, 'SIGKILL');
    this.fail(
      Object.assign(new Error(`the spawn helper process ${reason} while the command ran`), { code: SPAWN_HELPER_LOST }),
    );
  }

  private fail(error: Error): void {
    if (this.ended) return;
    this.ended = true;
    this.stdout.end();
    this.stderr.end();
    this.emit('error', error);
  }

  /** Like a `ChildProcess`: `'close'` comes after both output streams have ended. */
  private close(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.ended) return;
    this.ended = true;
    let open = 2;
    const onEnd = () => --open === 0 && this.emit('close', code, signal);
    for (const stream of [this.stdout, this.stderr]) {
      stream.once('end', onEnd);
      stream.end();
      // No reader attached: drain it, or 'end' would never come.
      if (stream.listenerCount('data') === 0) stream.resume();
    }
  }
}

/**
 * Starts commands from one helper process (see the module comment), started at the first
 * command and again after it died; falls back to {@link directSpawner} when it cannot start.
 *
 * @example
 * ```ts
 * const spawner = new SpawnHelper();
 * const outcome = await runProcess(['python', 'train.py'], { cwd, env: process.env, log, spawner });
 * ```
 */
export class SpawnHelper implements ProcessSpawner {
  private helper: ChildProcess | undefined;
  /** Set when a helper could not even be started: from then on, commands start from this process. */
  private unavailable = false;
  private nextId = 1;
  private readonly running = new Map<number, HelperChild>();

  spawn(command: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv }): SpawnedProcess {
    const helper = this.unavailable ? undefined : this.started();
    if (!helper) return directSpawner.spawn(command, args, options);
    const id = this.nextId++;
    const child = new HelperChild();
    this.running.set(id, child);
    child.once('close', () => this.finished(id));
    child.once('error', () => this.finished(id));
    // While a command runs, the helper keeps the event loop alive: its end must be seen.
    helper.ref();
    helper.channel?.ref();
    // A plain copy: `process.env` itself (or a proxy of it) is not something structured clone takes.
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(options.env)) if (value !== undefined) env[name] = value;
    const onSendError = (error: Error | null) =>
      error && queueMicrotask(() => child.lose(`could not be reached (${error.message})`));
    try {
      helper.send({ type: 'spawn', id, command, args: [...args], cwd: options.cwd, env }, onSendError);
    } catch (error) {
      onSendError(error instanceof Error ? error : new Error(String(error)));
    }
    return child;
  }

  /** A group the helper started and still runs: the helper kills it if this process dies. */
  guards(pid: number): boolean {
    for (const child of this.running.values()) if (child.pid === pid) return true;
    return false;
  }

  /** The helper's pid, once started (for tests and diagnostics). */
  get pid(): number | undefined {
    return this.helper?.pid;
  }

  /** Stops the helper (tests; a worker's helper ends by itself when the worker does). */
  stop(): void {
    this.helper?.disconnect();
  }

  private finished(id: number): void {
    this.running.delete(id);
    // An idle helper must not keep the worker's event loop alive.
    if (this.running.size > 0) return;
    this.helper?.unref();
    this.helper?.channel?.unref();
  }

  private started(): ChildProcess | undefined {
    if (this.helper?.connected) return this.helper;
    try {
      const helper = spawn(process.execPath, ['-e', helperProgram], {
        // A session of its own: a signal to the worker's process group must leave it to finish its job.
        detached: true,
        stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
        serialization: 'advanced',
        // Each command gets its own environment with the request; the helper itself needs none.
        env: {},
      });
      helper.unref();
      helper.channel?.unref();
      helper.on('message', (message: HelperMessage) => this.running.get(message.id)?.receive(message));
      helper.on('error', () => {
        if (helper.pid === undefined) this.unavailable = true;
        this.lost(helper, 'could not be started');
      });
      helper.on('exit', (code, signal) => this.lost(helper, `ended (${signal ?? `exit code ${code}`})`));
      helper.on('disconnect', () => this.lost(helper, 'closed its channel'));
      this.helper = helper;
      return helper;
    } catch {
      this.unavailable = true;
      return undefined;
    }
  }

  private lost(helper: ChildProcess, reason: string): void {
    if (this.helper !== helper) return;
    this.helper = undefined;
    for (const child of [...this.running.values()]) child.lose(reason);
  }
}
