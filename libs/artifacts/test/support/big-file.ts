/** Generated test files: every MiB differs (no two parts alike), written without holding the file in memory. */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

const MiB = 1024 * 1024;

export async function writeBigFile(path: string, size: number): Promise<void> {
  const out = createWriteStream(path);
  const block = Buffer.alloc(MiB);
  for (let offset = 0; offset < size; offset += MiB) {
    const n = offset / MiB;
    for (let i = 0; i < MiB; i += 8) block.writeUInt32LE((n * 2654435761 + i) >>> 0, i);
    if (!out.write(Buffer.from(block.subarray(0, Math.min(MiB, size - offset))))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}
