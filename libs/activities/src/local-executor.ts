/** The local executor: steps as processes on the worker's host, artifacts in the store. */
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ArtifactStore } from '@kiln/artifacts';
import type { KilnActivities, RunContext, RunContextRequest } from '@kiln/engine';
import { specDigest } from '@kiln/ir/node';
import { launcherBundleCommand, launcherDir } from '@kiln/launcher';
import { lookupCache, saveCache } from './cache';
import { importArtifact } from './import-artifact';
import type { ActivityLogger } from './logger';
import { runStepActivity, type LauncherPlacement } from './run-step-activity';
import { saveRunRecord } from './run-record';

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
}

/**
 * The engine's activities, running each step's command as a child process on
 * this host (by default with the launcher in this process; see `launcherMode`).
 *
 * @example
 * ```ts
 * import { openStore, defaultStoreUrl } from '@kiln/artifacts';
 * import { createLocalExecutorActivities } from '@kiln/activities';
 *
 * const activities = createLocalExecutorActivities({ store: openStore(defaultStoreUrl()) });
 * await Worker.create({ taskQueue: 'kiln', activities, workflowsPath });
 *
 * // The launcher as a child process per step instead:
 * createLocalExecutorActivities({ store: openStore(defaultStoreUrl()), launcherMode: 'process' });
 * ```
 */
export function createLocalExecutorActivities(deps: LocalExecutorDeps): KilnActivities {
  const { store } = deps;
  const runDeps = {
    store,
    workRoot: deps.workRoot ?? join(tmpdir(), 'kiln-work'),
    launcher: launcherPlacement(deps),
    heartbeatMs: deps.heartbeatMs ?? 5000,
    graceMs: deps.graceMs ?? 10_000,
    ...(deps.log && { log: deps.log }),
  };
  return {
    runStep: (req) => runStepActivity(runDeps, req),
    importArtifact: (req) => importArtifact(store, req),
    lookupCache: (req) => lookupCache(store, req),
    saveCache: (req) => saveCache(store, req),
    saveRunRecord: (doc) => saveRunRecord(store, doc),
    resolveRunContext: async (req: RunContextRequest): Promise<RunContext> => ({
      artifactRoot: (req.artifactRoot ?? store.url).replace(/\/+$/, ''),
      pipelineDigest: specDigest(req.spec),
    }),
  };
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
    return { mode };
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
