/**
 * The sidecar's part of a step: wait until the main container has recorded its
 * exit code, then (on exit code 0) run the launcher's publish phase — output
 * parameters read, artifacts uploaded with their digests, the executor-output
 * record written. Artifact bytes go from the pod straight to the store; the
 * worker only reads the small record. On a non-zero exit it passes on what the
 * Python shim said went wrong before the function ran (a failed `pip install`).
 * Only a step with output artifacts loads the full store (the launcher's heavy
 * half), in the background while main runs; the record goes through the
 * light `RecordStore` either way.
 */
import { watch, type FSWatcher } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { RecordStore } from '@kiln/artifacts/light';
import {
  LaunchError,
  publishOutputs as publishStepOutputs,
  WorkLayout,
  writeExecutorOutput,
  type ExecutorOutput,
  type LaunchFailure,
  type LaunchRequest,
  type PublishedOutputs,
} from '@kiln/launcher/light';
import { stepLogKey } from '@kiln/store-layout/light';
import { loadHeavyPath, onHeavyPath } from './heavy-path';
import { podLayout } from './kfp-layout';
import { hasOutputArtifacts, readLaunchRequest } from './request';

export interface PublishOptions {
  /** Where the request is read and the executor-output record written (`openRecordStore`, or any artifact store). */
  store: RecordStore;
  requestKey: string;
  /** The request, when the caller has read it already (the one-process launcher); otherwise read from the store. */
  request?: LaunchRequest;
  workDir: string;
  exitCodeFile: string;
  /** Written by the fetch phase when the work folder was ready (ISO time). */
  startedAtFile?: string;
  /** Aborted when the pod stops the sidecar (SIGTERM): look one last time, then give up waiting. */
  stop: AbortSignal;
  /**
   * How often the exit code file is looked for besides when the folder changes
   * (the sidecar watches it, so the poll only backs up a filesystem without
   * change events). Default 1000 ms.
   */
  pollMs?: number;
  say?: (line: string) => void;
}

export type PublishOutcome =
  | { published: true; record: ExecutorOutput }
  | { published: false; why: 'non-zero-exit'; exitCode: number }
  | { published: false; why: 'no-exit-code' };

/** The exit code once the wrapper has written it whole (a trailing newline marks a complete write). */
async function readExitCode(file: string): Promise<{ code: number; at: Date } | undefined> {
  try {
    const text = await readFile(file, 'utf8');
    if (!/^\d+\n$/.test(text)) return undefined;
    return { code: Number(text.trim()), at: (await stat(file)).mtime };
  } catch {
    return undefined;
  }
}

/**
 * Waits until the exit code file is complete, or the sidecar is stopped. The
 * folder is watched (inotify on the pod's emptyDir), so publishing starts the
 * moment the wrapper renames the file in rather than on the next poll.
 */
async function waitForExitCode(options: PublishOptions): Promise<{ code: number; at: Date } | undefined> {
  let changed = false;
  let wake: (() => void) | undefined;
  const onChange = () => {
    changed = true;
    wake?.();
  };
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dirname(options.exitCodeFile), onChange);
    watcher.on('error', () => undefined);
  } catch {
    // No change events here: the poll alone finds the file.
  }
  options.stop.addEventListener('abort', onChange);
  try {
    for (;;) {
      changed = false;
      const found = await readExitCode(options.exitCodeFile);
      if (found) return found;
      // The wrapper writes the file before main exits, and the pod stops sidecars only after main exits.
      if (options.stop.aborted) return undefined;
      // A change while the file was being read: look again at once.
      if (changed) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.pollMs ?? 1000);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  } finally {
    watcher?.close();
    options.stop.removeEventListener('abort', onChange);
  }
}

/**
 * Waits for the main container, then publishes its outputs.
 *
 * @example
 * ```ts
 * const outcome = await publishOutputs({ store, requestKey, workDir: '/kiln/work', exitCodeFile: '/kiln/exit-code', stop });
 * ```
 */
export async function publishOutputs(options: PublishOptions): Promise<PublishOutcome> {
  const say = options.say ?? (() => undefined);
  const { store } = options;
  // Read while main runs, so publishing after it exits starts with the request at hand (and a warm connection).
  const early: Promise<LaunchRequest | undefined> = options.request
    ? Promise.resolve(options.request)
    : readLaunchRequest(store, options.requestKey).catch(() => undefined);
  // A step with output artifacts uploads them with the full store: load it while main runs.
  void early.then((request) => {
    if (request && hasOutputArtifacts(request)) void loadHeavyPath().catch(() => undefined);
  });
  const exit = await waitForExitCode(options);
  if (!exit) {
    say('main container stopped without recording an exit code (killed); nothing to publish');
    return { published: false, why: 'no-exit-code' };
  }
  const layout = new WorkLayout(options.workDir);
  if (exit.code !== 0) {
    const shimFailure = await readShimFailure(layout.shimFailureFile);
    if (shimFailure)
      throw new LaunchError(shimFailure.failureType, shimFailure.reason, shimFailure.message, { exitCode: exit.code });
    say(`main container exited ${exit.code}; outputs are not published`);
    return { published: false, why: 'non-zero-exit', exitCode: exit.code };
  }
  // An early read that failed (a store hiccup) is tried again now, failing the step if it fails again.
  const request = (await early) ?? (await readLaunchRequest(store, options.requestKey));
  const published = await publishedOutputs(request, store.url, options.workDir, say);
  const record = await writeExecutorOutput(store, {
    executionKey: request.executionKey,
    exitCode: 0,
    startedAt: (await startedAt(options.startedAtFile)) ?? exit.at.toISOString(),
    finishedAt: exit.at.toISOString(),
    // The worker saves the pod's logs here before it deletes the pod.
    logUri: store.uriFor(stepLogKey(request.executionKey)),
    ...published,
  });
  say('outputs published');
  return { published: true, record };
}

/** The outputs of a step whose command succeeded: uploaded by the heavy half if there are artifacts. */
function publishedOutputs(
  request: LaunchRequest,
  storeUrl: string,
  workDir: string,
  say: (line: string) => void,
): Promise<PublishedOutputs> {
  if (hasOutputArtifacts(request))
    return onHeavyPath((heavy) => heavy.publishOutputArtifacts(storeUrl, request, workDir, say));
  return publishStepOutputs(request, undefined, podLayout(request, workDir), { say });
}

/** When the fetch phase finished, i.e. when the command could start. */
async function startedAt(file: string | undefined): Promise<string | undefined> {
  if (!file) return undefined;
  try {
    return (await readFile(file, 'utf8')).trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The failures the Python shim records when it could not call the function
 * (libs/launcher/python/kiln_shim.py, `_fail_install`). The file sits in the
 * work folder the user's code can write too, so nothing else in it is believed:
 * user code must not be able to pass its own failure off as infrastructure
 * (retried) or configuration.
 */
const shimFailureReasons: ReadonlySet<string> = new Set(['VenvCreateFailed', 'PipInstallFailed']);

/**
 * The Python shim's account of why it could not call the function, if it left
 * one of the kind it writes; anything else leaves the exit code to fail the
 * step as the user's failure.
 */
async function readShimFailure(file: string): Promise<LaunchFailure | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return undefined;
    const { failureType, reason, message } = value as Record<string, unknown>;
    if (
      failureType === 'infrastructure' &&
      typeof reason === 'string' &&
      shimFailureReasons.has(reason) &&
      typeof message === 'string'
    ) {
      return { failureType, reason, message };
    }
  } catch {
    // A half-written or foreign file says nothing reliable; the exit code still fails the step.
  }
  return undefined;
}
