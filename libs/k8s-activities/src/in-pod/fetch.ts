/**
 * The init container's part of a step: read the staged request and run the
 * launcher's fetch and resolve phases into the pod's work folder (inputs,
 * output folders, parameter files, a python component's source, shim spec and
 * shim). The worker resolved the main container's command from the same
 * request with the same options (`podResolveOptions`), so the paths in its
 * arguments are exactly the ones filled here. Only a step with input artifacts
 * loads the full store (the launcher's heavy half) to download them.
 */
import { chmod } from 'node:fs/promises';
import { isAbsolute, relative, sep } from 'node:path';
import type { RecordStore } from '@kiln/artifacts/light';
import {
  createOutputFolders,
  inputPaths,
  kfpMountPrefixes,
  outputFolders,
  resolveStepCommand,
  writeStepFiles,
  type LaunchRequest,
  type LocalInputs,
  type WorkLayout,
} from '@kiln/launcher/light';
import { onHeavyPath } from './heavy-path';
import { podLayout } from './kfp-layout';
import { podResolveOptions } from './layout';
import { readLaunchRequest } from './request';

export interface PrepareOptions {
  /** Where the request is read (a `RecordStore`: `openRecordStore`, or any artifact store). */
  store: RecordStore;
  requestKey: string;
  workDir: string;
  say?: (line: string) => void;
}

/**
 * Prepares the work folder for the main container.
 *
 * @example
 * ```ts
 * await prepareWorkFolder({ store: openRecordStore(url), requestKey: 'executions/…/pod-request.json', workDir: '/kiln/work' });
 * ```
 */
export async function prepareWorkFolder(options: PrepareOptions): Promise<LaunchRequest> {
  const { store } = options;
  const say = options.say ?? (() => undefined);
  const request = await readLaunchRequest(store, options.requestKey);
  const layout = podLayout(request, options.workDir);
  const localInputs = await placeInputs(request, layout, store.url, say);
  const command = resolveStepCommand(request, layout, localInputs, podResolveOptions);
  await writeStepFiles(command);
  // The user's image may run as any uid, and this container runs as another: open the folders main writes to
  // (the work root too: the shim writes its answer and installs packages there).
  const folders = outputFolders(request, layout);
  await openUp(layout.root, foldersInside(layout.root, folders));
  // A KFP step's outputs are staged under /s3, /gcs or /minio (see kfp-layout.ts): open those too.
  for (const prefix of kfpMountPrefixes) {
    const mount = prefix.mount.slice(0, -1);
    const under = folders.filter((dir) => isInside(mount, dir));
    if (under.length > 0) await openUp(mount, under);
  }
  say(
    `work folder ready: ${Object.keys(localInputs).length} input artifact(s), ${command.files.length} file(s) for the command`,
  );
  return request;
}

/** Downloads the input artifacts (through the heavy half) if there are any; creates the output folders either way. */
async function placeInputs(
  request: LaunchRequest,
  layout: WorkLayout,
  storeUrl: string,
  say: (line: string) => void,
): Promise<LocalInputs> {
  if (Object.keys(request.inputs.artifacts).length === 0) {
    await createOutputFolders(request, layout);
    return inputPaths(request, layout);
  }
  return onHeavyPath((heavy) => heavy.fetchInputArtifacts(storeUrl, request, layout.root, say));
}

/** Those of `dirs` inside `root` (a KFP step's outputs are staged outside it). */
export function foldersInside(root: string, dirs: string[]): string[] {
  return dirs.filter((dir) => isInside(root, dir));
}

function isInside(root: string, dir: string): boolean {
  const rel = relative(root, dir);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** chmod 0777 the work root and every folder from it down to each of `dirs`. */
async function openUp(root: string, dirs: string[]): Promise<void> {
  for (const dir of foldersToOpen(root, dirs)) await chmod(dir, 0o777);
}

/**
 * `root` and every folder from it down to each of `dirs` (which lie inside it), in the order to open
 * them up. The static launcher's plan lists the same (static-launcher.ts).
 *
 * @example
 * ```ts
 * foldersToOpen('/kiln/work', ['/kiln/work/outputs/_params']); // ['/kiln/work', '/kiln/work/outputs', '/kiln/work/outputs/_params']
 * ```
 */
export function foldersToOpen(root: string, dirs: string[]): string[] {
  const all = new Set<string>([root]);
  for (const dir of dirs) {
    const parts = relative(root, dir).split(sep).filter(Boolean);
    for (let i = 1; i <= parts.length; i++) all.add([root, ...parts.slice(0, i)].join(sep));
  }
  return [...all];
}
