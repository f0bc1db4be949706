/** Where the workspace is: found by walking up to nx.json (this code runs under tsx's ESM and jest's CommonJS). */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function workspaceRoot(from = process.cwd()): string {
  let dir = from;
  while (!existsSync(join(dir, 'nx.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no nx.json above ${from}: run the bench from inside the Kiln workspace`);
    dir = parent;
  }
  return dir;
}
