/**
 * Where a step's files go in its work folder, worked out from the request
 * alone ({@link inputPaths}, {@link outputFolders}), and the folders made
 * before the command starts ({@link createOutputFolders}). Loads no store, so
 * a launcher with no input artifacts to fetch prepares its folder with this
 * alone (the in-pod launcher's light start).
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { kfpExecutorOutputFile } from '../kfp/local-paths';
import type { WorkLayout } from '../layout';
import type { LocalInputs } from '../placeholders';
import type { LaunchRequest } from '../request';

/**
 * Where each input artifact of `request` goes in the work folder (a list input
 * has one path per item). Touches nothing.
 *
 * @example
 * ```ts
 * inputPaths(request, new WorkLayout('/kiln/work'))
 * // { dataset: '/kiln/work/inputs/dataset/train.csv', shards: ['/kiln/work/inputs/shards/0/a', ...] }
 * ```
 */
export function inputPaths(request: LaunchRequest, layout: WorkLayout): LocalInputs {
  const local: LocalInputs = {};
  for (const [name, given] of Object.entries(request.inputs.artifacts)) {
    local[name] = Array.isArray(given)
      ? given.map((a, i) => layout.inputArtifact(name, a.uri, i))
      : layout.inputArtifact(name, given.uri);
  }
  return local;
}

/**
 * The folders a command writes its outputs into; they exist before it starts,
 * because commands write to these paths without creating folders first (KFP
 * does the same).
 *
 * @example
 * ```ts
 * outputFolders(request, layout) // ['/w/outputs/model', '/w/outputs/_metadata', '/w/outputs/_params']
 * ```
 */
export function outputFolders(request: LaunchRequest, layout: WorkLayout): string[] {
  const folders = [
    ...Object.entries(request.outputs.artifacts).flatMap(([name, out]) => [
      dirname(layout.outputArtifact(name, out.uri)),
      dirname(layout.outputMetadataFile(name)),
    ]),
    ...Object.keys(request.outputs.params).map((name) => dirname(layout.outputParamFile(name))),
    ...(isKfpStep(request) ? [dirname(kfpExecutorOutputFile(layout))] : []),
  ];
  return [...new Set(folders)];
}

export interface OutputFolderOptions {
  /** The caller made the work folder already (`runStep` opens the step's log there first): no mkdir for it. */
  workFolderExists?: boolean;
}

/**
 * Creates the work folder and the {@link outputFolders} of `request`.
 *
 * @example
 * ```ts
 * await createOutputFolders(request, new WorkLayout('/kiln/work'));
 * ```
 */
export async function createOutputFolders(
  request: LaunchRequest,
  layout: WorkLayout,
  options: OutputFolderOptions = {},
): Promise<void> {
  const folders = outputFolders(request, layout);
  // Every output folder is inside the work folder, so making them makes it: one mkdir per folder at most.
  if (folders.length === 0 && !options.workFolderExists) await mkdir(layout.root, { recursive: true });
  for (const folder of folders) await mkdir(folder, { recursive: true });
}

function isKfpStep(request: LaunchRequest): boolean {
  const impl = request.component.implementation;
  return impl.type === 'container' && impl.kfp !== undefined;
}
