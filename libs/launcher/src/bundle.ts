/**
 * The launcher CLI bundled into one ES module with esbuild. Starting a step
 * through `node --import tsx src/cli.ts` compiles the launcher and its
 * dependencies on every start (about a second of CPU per step); the bundle
 * starts in a fraction of that. It is built once per content, into the cache.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { buildSync } from 'esbuild';
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
  built ??= buildLauncherBundle();
  return [process.execPath, built];
}

function buildLauncherBundle(): string {
  const root = dirname(dirname(launcherDir()));
  const result = buildSync({
    entryPoints: [launcherCliPath()],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    tsconfig: join(root, 'tsconfig.base.json'),
    // The bundle lives in the cache, so it cannot find the Python shim next to itself.
    banner: {
      js: [
        `process.env.KILN_LAUNCHER_DIR ??= ${JSON.stringify(launcherDir())};`,
        // Bundled CommonJS dependencies may call require().
        `import { createRequire as __kilnCreateRequire } from 'node:module'; const require = __kilnCreateRequire(import.meta.url);`,
      ].join('\n'),
    },
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]?.contents;
  if (!code) throw new Error('esbuild produced no launcher bundle');
  const digest = createHash('sha256').update(code).digest('hex').slice(0, 16);
  const dir = join(kilnCacheDir(), 'launcher');
  const file = join(dir, `launcher-${digest}.mjs`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const temp = `${file}.tmp-${process.pid}`;
    writeFileSync(temp, code);
    renameSync(temp, file);
  }
  return file;
}
