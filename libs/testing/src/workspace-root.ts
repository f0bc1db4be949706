/** Where the workspace is, for test support that reads or runs files of it. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository root: the folder holding nx.json above this file (under jest) or the working directory (under tsx, ESM). */
export function workspaceRoot(): string {
  const start = typeof __dirname === 'string' ? __dirname : process.cwd();
  let dir = start;
  while (!existsSync(join(dir, 'nx.json'))) {
    const parent = resolve(dir, '..');
    if (parent === dir) throw new Error(`no nx.json above ${start}`);
    dir = parent;
  }
  return dir;
}
