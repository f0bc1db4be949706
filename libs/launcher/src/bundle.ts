/**
 * Launcher programs bundled into one ES module each with esbuild. Starting a
 * program through `node --import tsx src/cli.ts` compiles it and its
 * dependencies on every start (about a second of CPU per step); the bundle
 * starts in a fraction of that. The local launcher CLI is bundled here; the
 * in-pod launcher (`@kiln/k8s-activities`' `src/in-pod/cli.ts`) with the same
 * function, into the launcher image when it is built and into the cache for
 * tests. A bundle in the cache is built once per content.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as Esbuild from 'esbuild';
import { launcherCliPath, launcherDir } from './paths';
import { kilnCacheDir } from './python/venv';

let built: string | undefined;

/**
 * Builds (or finds) the bundled launcher and returns the argv prefix that starts it.
 *
 * @example
 * ```ts
 * const [node, ...args] = launcherBundleCommand();
 * spawn(node, [...args, '--request', requestFile, '--store', storeUrl, '--work-dir', dir, '--result', resultFile]);
 * ```
 */
export function launcherBundleCommand(): string[] {
  built ??= bundleProgram(launcherCliPath(), { name: 'launcher' });
  return [process.execPath, built];
}

export interface BundleProgramOptions {
  /** Names the file: `<name>-<content digest>.mjs` in the cache. */
  name: string;
  /** Write the bundle to this file instead of the cache (an image build). */
  outFile?: string;
  /**
   * `esm` (default): an ES module (`.mjs`). `cjs`: a CommonJS script (`.cjs`), which Node can compile
   * with a V8 code cache through `vm.Script` (Node 20 has no compile cache for ES modules).
   */
  format?: 'esm' | 'cjs';
  /**
   * The launcher folder (holding `python/kiln_shim.py`) the bundle uses unless
   * `KILN_LAUNCHER_DIR` says otherwise when it runs. Default: this checkout's.
   */
  launcherDir?: string;
  /**
   * Expressions replaced at build time (esbuild's `define`), e.g. `{ 'process.env.X': '"1"' }`; a branch
   * that becomes dead is left out of the bundle with all it alone imports.
   */
  define?: Record<string, string>;
}

/**
 * Bundles a program of this repository (a TypeScript entry file and all it
 * imports, `@kiln/*` aliases included) into one ES module (or CommonJS script) for Node 20, and
 * returns the bundle's path. Without `outFile` the bundle goes to the cache,
 * named by its content, so unchanged sources reuse the file already there.
 *
 * @example
 * ```ts
 * const file = bundleProgram('/src/kiln/libs/k8s-activities/src/in-pod/cli.ts', { name: 'kiln-pod-launcher' });
 * spawn(process.execPath, [file, 'fetch', '--store', url, '--request-key', key]);
 * ```
 */
export function bundleProgram(entry: string, options: BundleProgramOptions): string {
  const root = dirname(dirname(launcherDir()));
  const format = options.format ?? 'esm';
  const result = loadEsbuild().buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format,
    target: 'node20',
    write: false,
    tsconfig: join(root, 'tsconfig.base.json'),
    ...(options.define && { define: options.define }),
    // The bundle lives elsewhere, so it cannot find the Python shim next to itself.
    banner: {
      js: [
        `process.env.KILN_LAUNCHER_DIR ??= ${JSON.stringify(options.launcherDir ?? launcherDir())};`,
        // Bundled CommonJS dependencies may call require() (a CommonJS bundle has it already).
        ...(format === 'esm'
          ? [
              `import { createRequire as __kilnCreateRequire } from 'node:module'; const require = __kilnCreateRequire(import.meta.url);`,
            ]
          : []),
      ].join('\n'),
    },
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]?.contents;
  if (!code) throw new Error(`esbuild produced no bundle of ${entry}`);
  if (options.outFile) {
    writeAtomically(options.outFile, code);
    return options.outFile;
  }
  const digest = createHash('sha256').update(code).digest('hex').slice(0, 16);
  const file = join(kilnCacheDir(), 'launcher', `${options.name}-${digest}.${format === 'esm' ? 'mjs' : 'cjs'}`);
  if (!existsSync(file)) writeAtomically(file, code);
  return file;
}

/**
 * esbuild, loaded on first use rather than imported: programs that bundle this
 * package's index (the in-pod launcher) must not carry esbuild, and a
 * `require` through `createRequire` is one that bundlers leave alone.
 */
function loadEsbuild(): typeof Esbuild {
  return createRequire(join(launcherDir(), 'src', 'bundle.ts'))('esbuild') as typeof Esbuild;
}

/**
 * Another process may be starting the same bundle: it sees the whole file or none.
 *
 * @example
 * ```ts
 * writeAtomically('/opt/kiln/kiln-pod-launcher.cjs', Buffer.from(code));
 * ```
 */
export function writeAtomically(file: string, code: Uint8Array): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.tmp-${process.pid}`;
  writeFileSync(temp, code);
  renameSync(temp, file);
}
