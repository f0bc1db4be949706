/**
 * The log of an earlier try of the same attempt, kept. Temporal runs an attempt again (a new try,
 * same execution key) after an infrastructure failure or when its worker died; the new try saves
 * its log at `stepLogKey`, where the earlier one's would be lost. Before the new try starts, the
 * earlier try's log goes to `stepTryLogKey(executionKey, n)`, from the best source there is: the
 * log it saved itself; else, on the same host, its log file in the work folder; else the live
 * chunks it sent to the store while it ran (up to its last second).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { ArtifactStore } from '@kiln/artifacts';
import type { ActivityLogger } from '@kiln/store-activities';
import { liveLogPrefix, stepLogKey, stepTryLogKey } from '@kiln/store-layout';

/** What the earlier try's last heartbeat said about its log. */
export interface EarlierTry {
  /** Its number (Temporal's activity attempt). */
  tryNumber: number;
  host?: string;
  /** Its log file in its work folder, on `host`. */
  logFile?: string;
}

/**
 * Saves the earlier try's log at its own key (once; a try that finds it there leaves it) and
 * removes its live chunks. Never throws: the new try matters more than the old one's log.
 *
 * @example
 * ```ts
 * await keepEarlierTryLog(store, 'r.train.1', { tryNumber: 1, host: 'worker-1', logFile: '/tmp/kiln-work/…/log.txt' });
 * // executions/r.train.1/tries/1/log.txt
 * ```
 */
export async function keepEarlierTryLog(
  store: ArtifactStore,
  executionKey: string,
  earlier: EarlierTry,
  log?: ActivityLogger,
): Promise<void> {
  const target = stepTryLogKey(executionKey, earlier.tryNumber);
  try {
    if (!(await store.exists(target))) {
      const text = await earlierLogText(store, executionKey, earlier);
      if (text !== undefined) await store.put(target, text);
    }
    await store.delete(liveLogPrefix(executionKey).slice(0, -1));
  } catch (error) {
    log?.warn('could not keep the log of an earlier try of this step', {
      executionKey,
      tryNumber: earlier.tryNumber,
      error: String(error),
    });
  }
}

async function earlierLogText(
  store: ArtifactStore,
  executionKey: string,
  earlier: EarlierTry,
): Promise<string | undefined> {
  if (await store.exists(stepLogKey(executionKey))) return store.readText(stepLogKey(executionKey));
  const lost = `[kiln] try ${earlier.tryNumber} ended with its worker; its log ends here\n`;
  if (earlier.host === hostname() && earlier.logFile !== undefined && existsSync(earlier.logFile)) {
    return (await readFile(earlier.logFile, 'utf8')) + lost;
  }
  const chunks: string[] = [];
  const keys: string[] = [];
  for await (const key of store.list(liveLogPrefix(executionKey))) keys.push(key);
  // Chunk keys are zero-padded numbers: sorted, they are in order.
  for (const key of keys.sort()) chunks.push(await store.readText(key));
  return chunks.length > 0 ? chunks.join('') + lost : undefined;
}
