import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * The workspace root is found by walking up to nx.json rather than from the module's own path,
 * because this code runs both as ESM (tsx) and as CJS (jest), which locate themselves differently.
 */
export function workspaceRoot(from: string = process.cwd()): string {
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No nx.json found above ${from}; run from inside the Kiln workspace.`);
    dir = parent;
  }
}

/** Persistent, outside the repo: builds take minutes and must survive `git clean` and `down`. */
export function cacheDir(): string {
  const env = process.env['KILN_CACHE_DIR'];
  if (env) return env;
  const xdg = process.env['XDG_CACHE_HOME'] || join(homedir(), '.cache');
  return join(xdg, 'kiln');
}

export function cacheBinDir(): string {
  return join(cacheDir(), 'bin');
}

/** Per-user runtime state; `down` deletes it, so nothing precious may live here. */
export function stateDir(): string {
  return process.env['KILN_TESTENV_DIR'] || `/tmp/kiln-testenv-${process.getuid?.() ?? 'user'}`;
}

/** Written by the node-agent engineer; `up` runs it when present (see kubernetes.ts). */
export function nodeAgentMain(): string {
  return join(workspaceRoot(), 'tools', 'testenv', 'src', 'node-agent', 'main.ts');
}
