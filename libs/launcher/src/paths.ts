/**
 * Where the launcher's own files are on disk: the CLI entry (run as a child
 * process by the local executor) and the Python shim (shipped as a file).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** This file's folder. CommonJS (jest) has `__dirname`; under tsx's ESM it is undefined and we read it off a stack frame, because `import.meta` is a syntax error in CommonJS. */
function sourceDir(): string {
  if (typeof __dirname === 'string') return __dirname;
  const frame = new Error().stack?.split('\n').find((line) => /paths\.[cm]?[jt]s/.test(line));
  const match = frame?.match(/((?:file:\/\/)?\/[^\s():]+paths\.[cm]?[jt]s)/);
  if (!match?.[1]) throw new Error('cannot locate @kiln/launcher on disk; set KILN_LAUNCHER_DIR to its folder');
  const file = match[1].startsWith('file:') ? fileURLToPath(match[1]) : match[1];
  return dirname(file);
}

/** The launcher package folder (holding `src/` and `python/`). `KILN_LAUNCHER_DIR` overrides, e.g. in a bundled deployment. */
export function launcherDir(): string {
  return process.env['KILN_LAUNCHER_DIR'] || dirname(sourceDir());
}

/** The CLI entry script: `node --import tsx <launcherCliPath()> --request ...`. */
export function launcherCliPath(): string {
  return join(launcherDir(), 'src', 'cli.ts');
}

/** The Python shim that calls a python component's function. */
export function pythonShimPath(): string {
  return join(launcherDir(), 'python', 'kiln_shim.py');
}
