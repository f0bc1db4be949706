/**
 * Process groups a killed worker left behind. A step's command (and, in `'process'` mode, the
 * launcher) runs in its own process group, apart from the worker: when the worker dies (OOM,
 * kill -9) they keep running with nobody to enforce the deadline, while Temporal starts the same
 * attempt again. Each heartbeat names the groups with the host and each leader's start time, so
 * the retry, on the same host, can stop them first; the start time keeps it from killing a
 * process that merely got a recycled pid.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { killGroup } from '@kiln/launcher';
import type { ActivityLogger } from '@kiln/store-activities';

/** A process group leader as the heartbeat records it. */
export interface GroupLeader {
  pid: number;
  /** Its start time in clock ticks since boot (`/proc/<pid>/stat` field 22); absent where there is no /proc. */
  startTime?: string;
}

/** What `/proc/<pid>/stat` tells about a process; undefined when it is gone or there is no /proc. */
function procStat(pid: number): { processGroup: number; startTime: string } | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may hold spaces; count fields after its closing one.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const processGroup = fields[2];
  const startTime = fields[19];
  if (processGroup === undefined || startTime === undefined) return undefined;
  return { processGroup: Number(processGroup), startTime };
}

/**
 * The identity of a just-started group leader, for the heartbeat.
 *
 * @example
 * ```ts
 * progress.step = groupLeader(event.pid); // { pid: 4242, startTime: '1234567' }
 * ```
 */
export function groupLeader(pid: number): GroupLeader {
  const stat = procStat(pid);
  return stat ? { pid, startTime: stat.startTime } : { pid };
}

/**
 * Kills (SIGKILL) each process group that a previous try of this attempt recorded in its last
 * heartbeat, if that try ran on this host and the group's leader is still the same process
 * (same pid, still leading its group, same start time). Returns the pids it killed.
 *
 * Without a recorded start time (no /proc where the try ran) a pid cannot be told from a
 * recycled one, and the group is left alone.
 *
 * @example
 * ```ts
 * stopOrphanedGroups({ host: 'worker-1', groups: [{ pid: 4242, startTime: '1234567' }] }, log); // [4242] when still running here
 * ```
 */
export function stopOrphanedGroups(
  previous: { host?: string; groups: GroupLeader[] },
  log?: ActivityLogger,
  attrs: Record<string, unknown> = {},
): number[] {
  if (previous.groups.length === 0) return [];
  const host = hostname();
  if (previous.host !== host) {
    if (previous.host !== undefined) {
      log?.info('the previous try of this step ran on another host; its processes cannot be stopped from here', {
        ...attrs,
        previousHost: previous.host,
        host,
      });
    }
    return [];
  }
  const killed: number[] = [];
  for (const { pid, startTime } of previous.groups) {
    if (!Number.isInteger(pid) || pid <= 1 || pid === process.pid) continue;
    const now = procStat(pid);
    // A zombie leader still holds its pid, so a match is still our group (its members may live on).
    if (startTime === undefined || now === undefined || now.processGroup !== pid || now.startTime !== startTime)
      continue;
    killGroup(pid, 'SIGKILL');
    killed.push(pid);
    log?.warn('stopped the process group a previous try of this step left running (its worker died)', {
      ...attrs,
      pid,
    });
  }
  return killed;
}
