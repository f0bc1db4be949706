/** The end of a log, for error messages and failure details. */
import { open } from 'node:fs/promises';

/**
 * The last `lines` lines of a file, reading at most its last `maxBytes`.
 *
 * @example
 * ```ts
 * await readLogTail('/work/step.log', 50)
 * ```
 */
export async function readLogTail(path: string, lines = 50, maxBytes = 64 * 1024): Promise<string> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch {
    return '';
  }
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, maxBytes);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const text = buffer.toString('utf8').replace(/\n$/, '');
    return text.split('\n').slice(-lines).join('\n');
  } finally {
    await handle.close();
  }
}
