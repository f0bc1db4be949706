/**
 * Phase 1 of a step: the input artifacts downloaded into the work folder and
 * the output folders created. Where each input lands is a pure function of the
 * request ({@link inputPaths}), so a process that cannot see the work folder (a
 * worker building a pod spec) resolves the command against the same paths the
 * fetch fills.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { locate, type ArtifactStore } from '@kiln/artifacts';
import { kfpExecutorOutputFile } from '../kfp/local-paths';
import type { WorkLayout } from '../layout';
import type { LocalInputs } from '../placeholders';
import type { LaunchRequest } from '../request';

export interface FetchOptions {
  /** Progress lines (one per input), for a log. */
  say?: (line: string) => void;
}

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

/**
 * Downloads the input artifacts to {@link inputPaths} (an input URI outside
 * `store`, such as another `file://` folder, is read from where it is) and
 * creates the {@link outputFolders}. Returns the local paths.
 *
 * @example
 * ```ts
 * const localInputs = await fetchInputs(request, store, new WorkLayout('/tmp/kiln/step-1'));
 * ```
 */
export async function fetchInputs(
  request: LaunchRequest,
  store: ArtifactStore,
  layout: WorkLayout,
  options: FetchOptions = {},
): Promise<LocalInputs> {
  await mkdir(layout.root, { recursive: true });
  const fetchOne = async (name: string, uri: string, index?: number) => {
    const { store: source, key } = locate(uri, store);
    const stat = await source.getToPath(key, layout.inputArtifact(name, uri, index));
    options.say?.(
      `input ${name}${index === undefined ? '' : `[${index}]`}: ${uri} (${stat.size} bytes, ${stat.digest})`,
    );
  };
  for (const [name, given] of Object.entries(request.inputs.artifacts)) {
    if (Array.isArray(given)) await Promise.all(given.map((a, i) => fetchOne(name, a.uri, i)));
    else await fetchOne(name, given.uri);
  }
  for (const folder of outputFolders(request, layout)) await mkdir(folder, { recursive: true });
  return inputPaths(request, layout);
}

function isKfpStep(request: LaunchRequest): boolean {
  const impl = request.component.implementation;
  return impl.type === 'container' && impl.kfp !== undefined;
}
