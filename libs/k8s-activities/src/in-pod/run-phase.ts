/**
 * One phase of the in-pod launcher, with its failure handling: a failed phase
 * leaves a `LaunchFailure` in the store (at `launcherFailureKey`) so the worker
 * can classify it, and prints why, so the pod's log says it too.
 *
 * Phases: `launch` is the whole launcher in one process (the default pod
 * layout: one native sidecar that prepares the work folder, tells main it may
 * start, then publishes once main is done); `fetch` and `publish` are its two
 * halves for the two-process layout (an init container and a sidecar).
 *
 * The request, the failure note and the executor-output record go through a
 * light `RecordStore`; the full store (the `minio` client) and the whole IR
 * schema load only for a step that needs them (`heavy-path.ts`), so a step
 * without input artifacts reaches its ready file without them.
 */
import { access, writeFile } from 'node:fs/promises';
import { openRecordStore, type RecordStore } from '@kiln/artifacts/light';
import { asLaunchError, LaunchError, toLaunchFailure, type LaunchRequest } from '@kiln/launcher/light';
import { executionKeyOfPodRequest, launcherFailureKey } from '@kiln/store-layout/light';
import { prepareWorkFolder } from './fetch';
import { launcherFailedFile, launcherReadyFile, publisherReadyFile } from './layout';
import { publishOutputs } from './publish';

export interface PhaseOptions {
  phase: 'launch' | 'fetch' | 'publish';
  storeUrl: string;
  requestKey: string;
  workDir: string;
  exitCodeFile: string;
  startedAtFile: string;
  /** Aborted on SIGTERM. */
  stop: AbortSignal;
  say: (line: string) => void;
}

/** Main must not start before the sidecar can publish its outputs; the sidecar starts first, this makes sure it is up. */
async function waitForPublisher(timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (
      await access(publisherReadyFile).then(
        () => true,
        () => false,
      )
    )
      return;
    if (Date.now() > deadline)
      throw new LaunchError(
        'infrastructure',
        'PublisherNotReady',
        `the publish sidecar did not start within ${timeoutMs / 1000} s`,
      );
    // Both launcher processes start at once and the sidecar is usually up first; when not, it is a moment away.
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * Runs a phase; resolves with the process exit code (fetch: 0 ready, 1 failed;
 * launch and publish: always 0, since a sidecar that fails is restarted, which helps nobody).
 *
 * @example
 * ```ts
 * process.exitCode = await runPhase({ phase: 'fetch', storeUrl, requestKey, workDir: '/kiln/work', ... });
 * ```
 */
export async function runPhase(o: PhaseOptions): Promise<number> {
  let store: RecordStore | undefined;
  try {
    store = openRecordStore(o.storeUrl);
  } catch (error) {
    const code = await failed(o, undefined, error);
    if (o.phase === 'launch') await tellMainLauncherFailed(o);
    return code;
  }
  if (o.phase === 'launch') return launch(o, store);
  try {
    if (o.phase === 'fetch') {
      await prepareWorkFolder({ store, requestKey: o.requestKey, workDir: o.workDir, say: o.say });
      await waitForPublisher();
      await writeFile(o.startedAtFile, `${new Date().toISOString()}\n`);
      return 0;
    }
    await publish(o, store);
    return 0;
  } catch (error) {
    return failed(o, store, error);
  }
}

/** Fetch, tell main it may start, publish: the whole launcher in one process. */
async function launch(o: PhaseOptions, store: RecordStore): Promise<number> {
  let request: LaunchRequest;
  try {
    request = await prepareWorkFolder({ store, requestKey: o.requestKey, workDir: o.workDir, say: o.say });
    await writeFile(o.startedAtFile, `${new Date().toISOString()}\n`);
    await writeFile(launcherReadyFile, 'ready\n');
  } catch (error) {
    await failed(o, store, error);
    await tellMainLauncherFailed(o);
    return 0;
  }
  try {
    await publish(o, store, request);
  } catch (error) {
    await failed(o, store, error);
  }
  return 0;
}

/** After the note is in the store: main exits at this file without running the command, and the worker reads the note. */
async function tellMainLauncherFailed(o: PhaseOptions): Promise<void> {
  await writeFile(launcherFailedFile, 'failed\n').catch((writeError: unknown) =>
    o.say(`could not tell main that the launcher failed: ${(writeError as Error).message}`),
  );
}

function publish(o: PhaseOptions, store: RecordStore, request?: LaunchRequest): Promise<unknown> {
  return publishOutputs({
    store,
    requestKey: o.requestKey,
    ...(request && { request }),
    workDir: o.workDir,
    exitCodeFile: o.exitCodeFile,
    startedAtFile: o.startedAtFile,
    stop: o.stop,
    say: o.say,
  });
}

/** Says why the phase failed, and leaves the failure in the store for the worker; returns the phase's exit code. */
async function failed(o: PhaseOptions, store: RecordStore | undefined, error: unknown): Promise<number> {
  const failure = toLaunchFailure(asLaunchError(error));
  o.say(`${failure.failureType} failure (${failure.reason}): ${failure.message}`);
  if (store) {
    const executionKey = executionKeyOfPodRequest(o.requestKey);
    if (executionKey === undefined) {
      o.say(`could not record the failure in the store: ${o.requestKey} is not a pod request key`);
    } else {
      await store.writeJson(launcherFailureKey(executionKey), failure).catch((writeError: unknown) => {
        o.say(`could not record the failure in the store: ${(writeError as Error).message}`);
      });
    }
  }
  return o.phase === 'fetch' ? 1 : 0;
}
