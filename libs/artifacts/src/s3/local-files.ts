/**
 * The files of a local directory as a directory artifact sees them: regular files, following
 * symbolic links (the store holds content, not pointers into the producer's disk, as the file://
 * backend's dereferencing copy does), `/`-separated relative paths in code-point order.
 */
import { readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { compareCodePoints } from '../compare';

export interface LocalFile {
  /** Relative, `/`-separated. */
  path: string;
  absolute: string;
}

/**
 * @example
 * ```ts
 * for (const f of await walkFiles('/tmp/model')) console.log(f.path, f.absolute);
 * ```
 */
export async function walkFiles(root: string): Promise<LocalFile[]> {
  const out: LocalFile[] = [];
  const seen = new Set<string>();
  async function visit(dir: string, rel: string): Promise<void> {
    const real = await realpath(dir);
    if (seen.has(real)) return; // a link cycle
    seen.add(real);
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const absolute = join(dir, entry.name);
      const path = rel === '' ? entry.name : `${rel}/${entry.name}`;
      const info = entry.isSymbolicLink() ? await stat(absolute).catch(() => undefined) : entry;
      if (info?.isDirectory()) await visit(absolute, path);
      else if (info?.isFile()) out.push({ path, absolute });
    }
    seen.delete(real);
  }
  await visit(root, '');
  return out.sort((a, b) => compareCodePoints(a.path, b.path));
}
