import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { progress } from './progress';
import { pidAlive } from './processes';

/**
 * A directory lock: mkdir is atomic, and the owner's pid inside lets a later caller break the lock
 * of a process that died (Ctrl-C during a build) instead of waiting forever.
 */
export async function withLock<T>(lockDir: string, what: string, fn: () => Promise<T>): Promise<T> {
  mkdirSync(dirname(lockDir), { recursive: true });
  let announced = false;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = readOwner(lockDir);
      if ((owner !== undefined && !pidAlive(owner)) || (owner === undefined && ageMs(lockDir) > 10_000)) {
        rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (!announced) {
        progress(`waiting for ${what} (lock ${lockDir} held by pid ${owner ?? '?'})`);
        announced = true;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function readOwner(lockDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(lockDir, 'pid'), 'utf8'));
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    // Normally the owner is between mkdir and writing its pid; a lock this young counts as held.
    return undefined;
  }
}
