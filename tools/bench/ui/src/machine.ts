/** The machine a result was measured on, for the results file. */
import { cpus, totalmem } from 'node:os';
import { readFileSync } from 'node:fs';

export interface Machine {
  readonly cpus: number;
  readonly model: string;
  readonly memoryGiB: number;
  readonly node: string;
  readonly chromium: string;
  readonly platform: string;
}

/** The 1, 5 and 15 minute load averages, as /proc/loadavg has them. */
export function loadAverage(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'unknown';
  }
}

/**
 * @example
 * ```ts
 * describeMachine(browser.version).cpus; // 2
 * ```
 */
export function describeMachine(chromium: string): Machine {
  const all = cpus();
  return {
    cpus: all.length,
    model: all[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    chromium,
    platform: `${process.platform} ${process.arch}`,
  };
}
