/** The hand-written baseline's activity, and the raw-spawn baseline: run one no-op process, time it. */
import { spawn } from 'node:child_process';

/** Spawns `command` (no shell, no stdio), waits for it to exit 0; returns spawn-to-exit milliseconds. */
export function spawnOnce(command: string): Promise<number> {
  const t0 = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(command, [], { stdio: 'ignore' });
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0) resolve(Number(process.hrtime.bigint() - t0) / 1e6);
      else reject(new Error(`${command} exited ${code}`));
    });
  });
}

export const handActivities = { spawnNoop: spawnOnce };
export type HandActivities = typeof handActivities;
