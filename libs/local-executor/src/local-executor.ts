/** The local executor: steps as processes on the worker's host, artifacts in the store. */
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ArtifactStore } from '@kiln/artifacts';
import type { KilnActivities, StepActivities } from '@kiln/engine-contract';
import { checkLogCap, launcherBundleCommand, launcherDir, SpawnHelper } from '@kiln/launcher';
import { createStoreActivities, type ActivityLogger } from '@kiln/store-activities';
import { runStepActivity, type LauncherPlacement } from './run-step-activity';

export interface LocalExecutorDeps {
  store: ArtifactStore;
  /** Where step work folders go. Default `$TMPDIR/kiln-work`. */
  workRoot?: string;
  log?: ActivityLogger;
  /**
   * Where the launcher (fetch inputs, run the command, publish outputs) runs. The user's command is
   * its own child process in its own process group either way.
   * - `'in-process'`: the launcher's `runStep` in the worker's process; no Node start-up per step.
   * - `'process'`: the launcher CLI as a child process per step (`launcherCommand`); costs a Node
   *   start-up per step, and keeps even the launcher's own code out of the worker.
   *
   * Default `'process'` when `launcherCommand` or `launcherCwd` is given, otherwise `'in-process'`.
   */
  launcherMode?: 'in-process' | 'process';
  /** How to start the launcher CLI in `'process'` mode; default: the launcher bundled once with esbuild (`node <cache>/launcher/launcher-<digest>.mjs`). */
  launcherCommand?: string[];
  /** Working directory of the launcher process in `'process'` mode (where `tsx` and tsconfig paths resolve). Default: the workspace root. */
  launcherCwd?: string;
  /** Heartbeat interval; the workflow's heartbeat timeout is 30 s. Default 5 s. */
  heartbeatMs?: number;
  /** Grace between SIGTERM and SIGKILL when a step is cancelled. Default 10 s. */
  graceMs?: number;
  /**
   * The cap on a command's output in each attempt's log: past it, the first and last halves are kept
   * with a marker of how many bytes were dropped between them. Default 16 MiB.
   */
  logCapBytes?: number;
  /**
   * In `'in-process'` mode, start step commands from one small helper process shared by this worker
   * (`SpawnHelper` of `@kiln/launcher`) instead of forking the worker itself, which costs 15–25 ms of
   * the worker's event loop per step at ~400 MiB resident. Default true.
   */
  spawnHelper?: boolean;
  /** Folders `file:` importers may read outside the store (see `StoreActivitiesDeps.importRoots`). Default: none. */
  importRoots?: readonly string[];
}

/**
 * The local executor's `runStep`: each step's command as a child process on
 * this host (by default with the launcher in this process; see `launcherMode`).
 *
 * @example
 * ```ts
 * const activities = { ...createStoreActivities({ store }), ...createLocalStepActivities({ store }) };
 * ```
 */
export function createLocalStepActivities(deps: LocalExecutorDeps): StepActivities {
  const runDeps = {
    store: deps.store,
    workRoot: deps.workRoot ?? join(tmpdir(), 'kiln-work'),
    launcher: launcherPlacement(deps),
    heartbeatMs: deps.heartbeatMs ?? 5000,
    graceMs: deps.graceMs ?? 10_000,
    ...(deps.logCapBytes !== undefined && {
      logCapBytes: checkLogCap(deps.logCapBytes, 'createLocalExecutorActivities: logCapBytes'),
    }),
    ...(deps.log && { log: deps.log }),
  };
  return { runStep: (req) => runStepActivity(runDeps, req) };
}

/**
 * Everything the engine calls, for a worker that runs every step locally (the
 * embedded default): the store-backed activities plus {@link createLocalStepActivities}.
 *
 * @example
 * ```ts
 * import { openStore, defaultStoreUrl } from '@kiln/artifacts';
 * import { createLocalExecutorActivities } from '@kiln/local-executor';
 *
 * const activities = createLocalExecutorActivities({ store: openStore(defaultStoreUrl()) });
 * await Worker.create({ taskQueue: 'kiln', activities, workflowsPath });
 *
 * // The launcher as a child process per step instead:
 * createLocalExecutorActivities({ store: openStore(defaultStoreUrl()), launcherMode: 'process' });
 * ```
 */
export function createLocalExecutorActivities(deps: LocalExecutorDeps): KilnActivities {
  return {
    ...createStoreActivities({ store: deps.store, ...(deps.importRoots && { importRoots: deps.importRoots }) }),
    ...createLocalStepActivities(deps),
  };
}

let workerSpawnHelper: SpawnHelper | undefined;

/** One helper per worker process, however many executors it creates; it starts at the first step. */
function sharedSpawnHelper(): SpawnHelper {
  workerSpawnHelper ??= new SpawnHelper();
  return workerSpawnHelper;
}

function launcherPlacement(deps: LocalExecutorDeps): LauncherPlacement {
  const processOptionGiven = deps.launcherCommand !== undefined || deps.launcherCwd !== undefined;
  const mode = deps.launcherMode ?? (processOptionGiven ? 'process' : 'in-process');
  if (mode === 'in-process') {
    if (processOptionGiven) {
      throw new Error(
        "createLocalExecutorActivities: launcherCommand and launcherCwd apply to launcherMode 'process' only, but launcherMode is 'in-process'",
      );
    }
    return deps.spawnHelper === false ? { mode } : { mode, spawner: sharedSpawnHelper() };
  }
  if (mode !== 'process')
    throw new Error(
      `createLocalExecutorActivities: launcherMode must be 'in-process' or 'process', not ${JSON.stringify(mode)}`,
    );
  // Built only in this mode: bundling the launcher with esbuild takes a moment at worker start.
  return {
    mode,
    command: deps.launcherCommand ?? launcherBundleCommand(),
    cwd: deps.launcherCwd ?? dirname(dirname(launcherDir())),
  };
}
