/**
 * The one place the DSL touches the file system: `loadComponent(path)` and
 * `python({ file })`. It
 * reaches `node:fs` through `process.getBuiltinModule` (Node >= 20.16) so the
 * rest of the package stays free of Node built-ins and bundles for browsers.
 */
import { DslError } from './errors';

interface MinimalFs {
  readFileSync(path: string | URL, encoding: 'utf8'): string;
}

/** Reads a UTF-8 file; `who` names the caller in errors (default `loadComponent`). */
export function readTextFile(path: string | URL, who = 'loadComponent'): string {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const fs = proc?.getBuiltinModule?.('node:fs') as MinimalFs | undefined;
  if (fs === undefined)
    throw new DslError(`${who}(${String(path)}): reading files needs Node.js >= 20.16; pass the file's text instead`);
  try {
    return fs.readFileSync(path, 'utf8');
  } catch (err) {
    throw new DslError(`${who}: cannot read ${String(path)}: ${(err as Error).message}`, { cause: err });
  }
}
