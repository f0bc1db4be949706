/**
 * Phase 1 of a step: the input artifacts downloaded into the work folder and
 * the output folders created. Where each input lands is a pure function of the
 * request ({@link inputPaths}), so a process that cannot see the work folder (a
 * worker building a pod spec) resolves the command against the same paths the
 * fetch fills.
 */
import { locate, type ArtifactStore } from '@kiln/artifacts';
import type { WorkLayout } from '../layout';
import type { LocalInputs } from '../placeholders';
import type { LaunchRequest } from '../request';
import { createOutputFolders, inputPaths, type OutputFolderOptions } from './folders';

export { inputPaths, outputFolders, createOutputFolders } from './folders';

export interface FetchOptions extends OutputFolderOptions {
  /** Progress lines (one per input), for a log. */
  say?: (line: string) => void;
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
  // No folder made first: `getToPath` makes each input's own, and `createOutputFolders` the work folder.
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
  await createOutputFolders(request, layout);
  return inputPaths(request, layout);
}
