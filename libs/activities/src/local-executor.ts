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
import { runStepActivity } from './run-step-activity';
import { saveRunRecord } from './run-record';

export interface LocalExecutorDeps {
  store: ArtifactStore;
  /** Where step work folders go. Default `$TMPDIR/kiln-work`. */
  workRoot?: string;
  log?: ActivityLogger;
  /** How to start the launcher CLI; default: the launcher bundled once with esbuild (`node <cache>/launcher/launcher-<digest>.mjs`). */
  launcherCommand?: string[];
  /** Working directory of the launcher process (where `tsx` and tsconfig paths resolve). Default: the workspace root. */
  launcherCwd?: string;
  /** Heartbeat interval; the workflow's heartbeat timeout is 30 s. Default 5 s. */
  heartbeatMs?: number;
  /** Grace between SIGTERM and SIGKILL when a step is cancelled. Default 10 s. */
  graceMs?: number;
}

/**
 * The engine's activities, running each step's launcher as a child process on
 * this host.
 *
 * @example
 * ```ts
 * import { openStore, defaultStoreUrl } from '@kiln/artifacts';
 * import { createLocalExecutorActivities } from '@kiln/activities';
 *
 * const activities = createLocalExecutorActivities({ store: openStore(defaultStoreUrl()) });
 * await Worker.create({ taskQueue: 'kiln', activities, workflowsPath });
 * ```
 */
export function createLocalExecutorActivities(deps: LocalExecutorDeps): KilnActivities {
  const { store } = deps;
  const runDeps = {
    store,
    workRoot: deps.workRoot ?? join(tmpdir(), 'kiln-work'),
    launcherCommand: deps.launcherCommand ?? launcherBundleCommand(),
    launcherCwd: deps.launcherCwd ?? dirname(dirname(launcherDir())),
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
