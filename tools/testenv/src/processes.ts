import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readdirSync } from 'node:fs';
import { z } from 'zod';
import { progress } from './progress';

/** Enough to find a detached server again from another process, and to not confuse it with a reused pid. */
export const processRecordSchema = z.object({
  name: z.string(),
  pid: z.number().int().positive(),
  /** Kernel start time (clock ticks since boot) from /proc; guards against pid reuse. */
  startTime: z.string(),
  log: z.string(),
});
export type ProcessRecord = z.infer<typeof processRecordSchema>;

export interface LaunchSpec {
  name: string;
  command: string;
  args: string[];
  log: string;
  env?: Record<string, string>;
  cwd?: string;
}

/**
 * Starts a server in its own session and process group, so it outlives `up` and `down` can stop it
 * together with any children (tsx, for instance, runs node as a child) by signalling the group.
 */
export function launch(spec: LaunchSpec): ProcessRecord {
  const out = openSync(spec.log, 'a');
  try {
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: { ...process.env, ...spec.env },
      detached: true,
      stdio: ['ignore', out, out],
    });
    if (child.pid === undefined) throw new Error(`Could not start ${spec.name} (${spec.command}); see ${spec.log}`);
    child.on('error', () => undefined);
    child.unref();
    return { name: spec.name, pid: child.pid, startTime: readStat(child.pid)?.startTime ?? '', log: spec.log };
  } finally {
    closeSync(out);
  }
}

interface Stat {
  state: string;
  pgrp: number;
  startTime: string;
}

function readStat(pid: number): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces and parentheses; fields are reliable only after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '', pgrp: Number(fields[2]), startTime: fields[19] ?? '' };
  } catch {
    return undefined;
  }
}

export function pidAlive(pid: number): boolean {
  if (existsSync('/proc/self/stat')) {
    const stat = readStat(pid);
    return stat !== undefined && stat.state !== 'Z';
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when the recorded server itself is still running (not a zombie, not a reused pid). */
export function isRunning(record: ProcessRecord): boolean {
  const stat = readStat(record.pid);
  if (!existsSync('/proc/self/stat')) return pidAlive(record.pid);
  return stat !== undefined && stat.state !== 'Z' && stat.startTime === record.startTime;
}

/** Live (non-zombie) members of a process group; zombies cannot be killed and hold no resources. */
function groupMembers(pgid: number): number[] {
  if (!existsSync('/proc/self/stat')) {
    try {
      process.kill(-pgid, 0);
      return [pgid];
    } catch {
      return [];
    }
  }
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat && stat.pgrp === pgid && stat.state !== 'Z') members.push(Number(entry));
  }
  return members;
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/**
 * SIGTERM the server's process group, give it `graceMs` to exit cleanly (etcd and SQLite flush on
 * TERM), then SIGKILL whatever is left. The group is only signalled if its leader is still the
 * process we started, so a recycled pid is never touched.
 */
export async function stop(record: ProcessRecord, graceMs = 10_000): Promise<void> {
  const leader = readStat(record.pid);
  // Linux never hands out a pid while a process group of that id lives, so a different process
  // under our pid means our whole group is gone and must not be signalled.
  if (leader && record.startTime && leader.startTime !== record.startTime) return;
  if (groupMembers(record.pid).length === 0) return;
  signalGroup(record.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (groupMembers(record.pid).length === 0) return;
    await sleep(100);
  }
  progress(`${record.name} (pid ${record.pid}) did not exit after SIGTERM; sending SIGKILL`);
  signalGroup(record.pid, 'SIGKILL');
  const killDeadline = Date.now() + 5_000;
  while (groupMembers(record.pid).length > 0) {
    if (Date.now() > killDeadline) throw new Error(`${record.name} (pid ${record.pid}) survived SIGKILL`);
    await sleep(50);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function logTail(file: string, lines = 25): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log written)';
  }
}

/** A server that failed to start: names the server and its log, and quotes the log's end. */
export class ServerStartError extends Error {
  override readonly name = 'ServerStartError';
  constructor(
    readonly server: string,
    readonly log: string,
    reason: string,
  ) {
    super(`${server} ${reason}; log: ${log}\n--- last lines of ${log} ---\n${logTail(log)}`);
  }
}

/**
 * Polls `check` until it returns true. Fails early, with the log, if the server exits, because a
 * crashed server would otherwise look like a slow one until the timeout.
 */
export async function waitUntilReady(
  record: ProcessRecord,
  check: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!isRunning(record)) throw new ServerStartError(record.name, record.log, 'exited before it became ready');
    try {
      if (await check()) return;
    } catch {
      // Not answering yet.
    }
    if (Date.now() > deadline) {
      throw new ServerStartError(record.name, record.log, `did not become ready within ${timeoutMs / 1000}s`);
    }
    await sleep(200);
  }
}
