/**
 * The in-pod launcher as one file: `cli.ts` and everything it imports, bundled
 * with esbuild like the local launcher (`@kiln/launcher`'s `bundleProgram`).
 * The launcher process starts before the user's command can run, so its start
 * is on every step's path. From a bundle Node needs no TypeScript compiler and
 * no module resolution; what remains is compiling and running the modules'
 * top level (zod's schemas, the `minio` client and its dependencies), about
 * 300 ms of CPU on a busy machine. With a code cache (the default), the bundle
 * is a CommonJS script started by a small loader that hands V8 the code it
 * compiled on an earlier run (`vm.Script`'s `cachedData`; Node 20 has no
 * compile cache for ES modules, `module.enableCompileCache` came in Node 22),
 * which cuts that by roughly half (tools/bench/results/pods.md).
 *
 * The launcher image builds it with `build-bundle.ts` (and warms the cache at
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
import { bundleProgram, launcherDir, writeAtomically } from '@kiln/launcher';

/** The in-pod program's entry, in this checkout. */
export function podLauncherEntry(): string {
  return join(dirname(dirname(launcherDir())), 'libs', 'k8s-activities', 'src', 'in-pod', 'cli.ts');
}

export interface PodLauncherBundleOptions {
  /**
   * Where to write the program node starts: the bundle itself (`.mjs`), or with `codeCache` the loader
   * (`<name>.cjs`, with the bundle beside it as `<name>.bundle.cjs` and its cache as `.v8cache`).
   * Default: files in the Kiln cache named by their content (built once).
   */
  outFile?: string;
  /** The folder holding `python/kiln_shim.py` where the bundle runs. Default: this checkout's launcher. */
  launcherDir?: string;
  /** Start through V8's code cache (a CommonJS bundle and a loader). Default true. */
  codeCache?: boolean;
}

/**
 * The loader: compiles the bundle with the cached code V8 produced on an earlier run, runs it, and when
 * there was no usable cache leaves one for the next run (quietly skipped on a read-only file system).
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

/**
 * Bundles the in-pod launcher and returns the path of the file node starts: `outFile` when
 * given, otherwise a file in the Kiln cache named by its content (built once).
 *
 * @example
 * ```ts
 * buildPodLauncherBundle({ outFile: '/opt/kiln/kiln-pod-launcher.cjs', launcherDir: '/opt/kiln/launcher' });
 * // then: node /opt/kiln/kiln-pod-launcher.cjs launch --store s3://… --request-key …
 * ```
 */
export function buildPodLauncherBundle(options: PodLauncherBundleOptions = {}): string {
  const { codeCache = true, outFile, ...rest } = options;
  if (!codeCache)
    return bundleProgram(podLauncherEntry(), { name: 'kiln-pod-launcher', ...rest, ...(outFile && { outFile }) });
  const bundleFile = bundleProgram(podLauncherEntry(), {
    name: 'kiln-pod-launcher',
    format: 'cjs',
    ...rest,
    ...(outFile && { outFile: outFile.replace(/(\.c?js)?$/, '.bundle.cjs') }),
  });
  const loader = outFile ?? bundleFile.replace(/\.cjs$/, '.loader.cjs');
  if (!existsSync(loader) || outFile) writeAtomically(loader, Buffer.from(loaderSource(basename(bundleFile))));
  if (!existsSync(`${bundleFile}.v8cache`)) warmCodeCache(loader);
  return loader;
}

const cached = new Map<boolean, string>();

/**
 * The launcher command for pods whose containers run as processes on this host
 * (tools/testenv's node agent): this checkout's in-pod launcher, bundled into
 * the cache on first use. Give it as the `launcherCommand` pod default, or
 * JSON-encoded in `KILN_K8S_LAUNCHER_COMMAND`.
 *
 * @example
 * ```ts
 * createK8sActivities({ ..., pod: { launcherCommand: podLauncherBundleCommand() } });
 * ```
 */
export function podLauncherBundleCommand(options: { codeCache?: boolean } = {}): string[] {
  const codeCache = options.codeCache ?? true;
  let file = cached.get(codeCache);
  if (!file) {
    file = buildPodLauncherBundle({ codeCache });
    cached.set(codeCache, file);
  }
  return [process.execPath, file];
}
