/**
 * The in-pod launcher as bundles: `cli.ts` and everything it imports, bundled
 * with esbuild like the local launcher (`@kiln/launcher`'s `bundleProgram`).
 * The launcher process starts before the user's command can run, so its start
 * is on every step's path. From a bundle Node needs no TypeScript compiler and
 * no module resolution; what remains is reading, compiling and running the
 * modules' top level.
 *
 * By default (`light`) the launcher is two bundles. The light one holds what
 * every step needs before main may start and after it exits: argument parsing,
 * a small store client for the request and the records (`openRecordStore`:
 * `file://`, or `s3://` signed with `aws4` over node:http), the request schema
 * with only the IR's leaf schemas, the command's resolution and the output
 * parameters. The heavy one (`heavy.ts`: the full store with the `minio`
 * client, the input fetch and artifact upload, the whole IR schema) sits
 * beside it and is `require`d only by a step that needs it: one with input
 * artifacts before it fetches them, one with output artifacts in the
 * background once main may start, a request the light schema refuses to have
 * the full one answer. A step with neither never loads it. With `light: false`
 * the launcher is one eager bundle that loads everything at start, as it did
 * before (kept to measure against: `one-process-cache-eager` in
 * tools/bench/pods/bench.ts).
 *
 * With a code cache (the default), each bundle is a CommonJS script started by
 * a small loader that hands V8 the code it compiled on an earlier run
 * (`vm.Script`'s `cachedData`; Node 20 has no compile cache for ES modules,
 * `module.enableCompileCache` came in Node 22), which saves compiling it again
 * (tools/bench/results/pods.md). Node 20's startup snapshot
 * (`--build-snapshot`) cannot take the launcher: building one that loads
 * node:http fails ("built-in module http ... not yet fully verified", then
 * `methods.toSorted is not a function`).
 *
 * The launcher image builds them with `build-bundle.ts` (and warms the caches at
 * build time); tests and benchmarks that run pods as host processes use
 * {@link podLauncherBundleCommand}.
 *
 * Not imported by the in-pod program itself (it would pull esbuild into the bundle).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleProgram, launcherDir, writeAtomically, type BundleProgramOptions } from '@kiln/launcher';

/** The in-pod program's entry, in this checkout. */
export function podLauncherEntry(): string {
  return join(dirname(dirname(launcherDir())), 'libs', 'k8s-activities', 'src', 'in-pod', 'cli.ts');
}

/** The heavy half's entry (`heavy.ts`), in this checkout. */
function heavyEntry(): string {
  return join(dirname(podLauncherEntry()), 'heavy.ts');
}

export interface PodLauncherBundleOptions {
  /**
   * Where to write the program node starts: the bundle itself (`.mjs`), or with `codeCache` the loader
   * (`<name>.cjs`, with the bundle beside it as `<name>.bundle.cjs` and its cache as `.v8cache`; with
   * `light`, the heavy half's loader as `<name>.heavy.cjs` and its bundle as `<name>.heavy.bundle.cjs`).
   * Default: files in the Kiln cache named by their content (built once).
   */
  outFile?: string;
  /** The folder holding `python/kiln_shim.py` where the bundle runs. Default: this checkout's launcher. */
  launcherDir?: string;
  /** Start through V8's code cache (CommonJS bundles, each with a loader). Default true. */
  codeCache?: boolean;
  /**
   * Two bundles, the heavy half loaded only by a step that needs it (see above). Default true; false
   * builds the one eager bundle of before. Needs `codeCache` (without it the launcher is one ES module).
   */
  light?: boolean;
}

/**
 * The loader: compiles the bundle with the cached code V8 produced on an earlier run, runs it, and when
 * there was no usable cache leaves one for the next run (quietly skipped on a read-only file system).
 * Its `module.exports` are the bundle's, so the light bundle `require`s the heavy one's loader.
 */
function loaderSource(bundleName: string): string {
  return `'use strict';
// Starts ${bundleName} with V8's code cache (${bundleName}.v8cache); written by @kiln/k8s-activities' in-pod/bundle.ts.
const { readFileSync, renameSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { Script } = require('node:vm');
const { wrap } = require('node:module');
const bundle = join(__dirname, ${JSON.stringify(bundleName)});
const cacheFile = bundle + '.v8cache';
let cachedData;
try { cachedData = readFileSync(cacheFile); } catch {}
const script = new Script(wrap(readFileSync(bundle, 'utf8')), { filename: bundle, cachedData });
if (cachedData === undefined || script.cachedDataRejected) {
  process.once('exit', () => {
    try {
      const temp = cacheFile + '.' + process.pid;
      writeFileSync(temp, script.createCachedData());
      renameSync(temp, cacheFile);
    } catch {}
  });
}
const bundled = { exports: {} };
script.runInThisContext()(bundled.exports, require, bundled, bundle, __dirname);
module.exports = bundled.exports;
`;
}

/**
 * Runs the launcher once through its whole start (a fetch that finds no request in an empty file
 * store), so the loader leaves the code cache of everything the start compiles.
 */
function warmCodeCache(loader: string): void {
  const scratch = mkdtempSync(join(tmpdir(), 'kiln-pod-launcher-warm-'));
  try {
    const store = pathToFileURL(join(scratch, 'store')).href;
    const args = ['fetch', '--store', store, '--request-key', 'executions/warm/pod-request.json'];
    spawnSync(process.execPath, [loader, ...args, '--work-dir', join(scratch, 'work')], {
      stdio: 'ignore',
      cwd: scratch,
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Loads the heavy half once, so its loader leaves the code cache of its modules' top level. */
function warmHeavyCodeCache(loader: string): void {
  spawnSync(process.execPath, ['-e', `require(${JSON.stringify(loader)})`], { stdio: 'ignore' });
}

interface CodeCachedBundle {
  /** What node starts (or `require`s): the loader. */
  loader: string;
  bundle: string;
}

/** One CommonJS bundle and its code-cache loader (`<name>.cjs` + `<name>.bundle.cjs`, or in the cache). */
function codeCachedBundle(
  entry: string,
  name: string,
  options: Pick<BundleProgramOptions, 'launcherDir' | 'define'> & { loaderFile?: string },
): CodeCachedBundle {
  const { loaderFile, ...rest } = options;
  const bundle = bundleProgram(entry, {
    name,
    format: 'cjs',
    ...rest,
    ...(loaderFile && { outFile: loaderFile.replace(/(\.c?js)?$/, '.bundle.cjs') }),
  });
  const loader = loaderFile ?? bundle.replace(/\.cjs$/, '.loader.cjs');
  if (!existsSync(loader) || loaderFile) writeAtomically(loader, Buffer.from(loaderSource(basename(bundle))));
  return { loader, bundle };
}

/**
 * Bundles the in-pod launcher and returns the path of the file node starts: `outFile` when
 * given, otherwise a file in the Kiln cache named by its content (built once). With `light` (the
 * default) the heavy half is built first, beside it, and both code caches are warmed.
 *
 * @example
 * ```ts
 * buildPodLauncherBundle({ outFile: '/opt/kiln/kiln-pod-launcher.cjs', launcherDir: '/opt/kiln/launcher' });
 * // then: node /opt/kiln/kiln-pod-launcher.cjs launch --store s3://… --request-key …
 * // (the light bundle requires /opt/kiln/kiln-pod-launcher.heavy.cjs when a step needs it)
 * ```
 */
export function buildPodLauncherBundle(options: PodLauncherBundleOptions = {}): string {
  const { codeCache = true, light = true, outFile, ...rest } = options;
  if (!codeCache)
    return bundleProgram(podLauncherEntry(), { name: 'kiln-pod-launcher', ...rest, ...(outFile && { outFile }) });
  if (!light) {
    const eager = codeCachedBundle(podLauncherEntry(), 'kiln-pod-launcher-eager', {
      ...rest,
      ...(outFile && { loaderFile: outFile }),
      // cli.ts loads the heavy half before anything else: the one-bundle launcher of before.
      define: { 'process.env.KILN_POD_LAUNCHER_EAGER': '"1"' },
    });
    if (!existsSync(`${eager.bundle}.v8cache`)) warmCodeCache(eager.loader);
    return eager.loader;
  }
  const heavy = codeCachedBundle(heavyEntry(), 'kiln-pod-launcher-heavy', {
    ...rest,
    ...(outFile && { loaderFile: outFile.replace(/(\.c?js)?$/, '.heavy.cjs') }),
  });
  const entry = codeCachedBundle(podLauncherEntry(), 'kiln-pod-launcher', {
    ...rest,
    ...(outFile && { loaderFile: outFile }),
    // heavy-path.ts requires this file instead of importing heavy.ts (which stays out of the light bundle).
    define: { 'process.env.KILN_POD_LAUNCHER_HEAVY_FILE': JSON.stringify(basename(heavy.loader)) },
  });
  if (!existsSync(`${heavy.bundle}.v8cache`)) warmHeavyCodeCache(heavy.loader);
  if (!existsSync(`${entry.bundle}.v8cache`)) warmCodeCache(entry.loader);
  return entry.loader;
}

const cached = new Map<string, string>();

/**
 * The launcher command for pods whose containers run as processes on this host
 * (tools/testenv's node agent): this checkout's in-pod launcher, bundled into
 * the cache on first use (by default the light launcher through the code cache;
 * `light: false` is the one eager bundle of before). Give it as the
 * `launcherCommand` pod default, or JSON-encoded in `KILN_K8S_LAUNCHER_COMMAND`.
 *
 * @example
 * ```ts
 * createK8sActivities({ ..., pod: { launcherCommand: podLauncherBundleCommand() } });
 * podLauncherBundleCommand({ light: false }); // the eager bundle, to measure against
 * ```
 */
export function podLauncherBundleCommand(options: { codeCache?: boolean; light?: boolean } = {}): string[] {
  const codeCache = options.codeCache ?? true;
  const light = options.light ?? true;
  const key = `${codeCache}/${light}`;
  let file = cached.get(key);
  if (!file) {
    file = buildPodLauncherBundle({ codeCache, light });
    cached.set(key, file);
  }
  return [process.execPath, file];
}
