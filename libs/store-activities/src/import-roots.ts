/**
 * Where a `file:` importer may read. An importer's URI comes from the pipeline, and what it
 * imports lands in the store, where every viewer can download it: a `file:///etc/shadow`
 * importer must not turn the worker's file system into a download service. A `file:` URI
 * outside the artifact store is read only under a configured root (none by default; `kiln dev`
 * and `kiln run` allow the project folder they start in). Symbolic links are resolved first, so
 * a link under a root that points elsewhere is refused too.
 */
import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ArtifactStore } from '@kiln/artifacts';
import { stepFailure } from '@kiln/engine-contract';

/** `path` is `root` or inside it (both already resolved). */
function isInside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** The real path (links resolved); for a path that does not exist, the path itself, normalised. */
async function realOrResolved(path: string): Promise<string> {
  return realpath(path).catch(() => resolve(path));
}

/**
 * Throws a configuration failure unless `uri` may be imported: any non-`file:` URI, a `file:`
 * URI in the artifact store, or one whose real path lies under one of `roots`.
 *
 * @example
 * ```ts
 * await checkImportAllowed(store, 'file:///home/me/project/data.csv', ['/home/me/project'], 'load');  // fine
 * await checkImportAllowed(store, 'file:///etc/shadow', ['/home/me/project'], 'load');                 // throws ImportRefused
 * ```
 */
export async function checkImportAllowed(
  store: ArtifactStore,
  uri: string,
  roots: readonly string[],
  taskId: string,
): Promise<void> {
  if (!uri.startsWith('file:') || store.owns(uri)) return;
  let path: string;
  try {
    path = fileURLToPath(uri);
  } catch (error) {
    throw stepFailure({
      failureClass: 'configuration',
      reason: 'ImportFailed',
      message: `cannot import ${uri} for task ${taskId}: not a valid file: URI (${error instanceof Error ? error.message : String(error)})`,
    });
  }
  const real = await realOrResolved(path);
  for (const root of roots) if (isInside(real, await realOrResolved(root))) return;
  const allowed =
    roots.length === 0
      ? 'this worker allows none (set KILN_IMPORT_ROOTS to the folders file: importers may read)'
      : `this worker allows only ${roots.join(', ')} (KILN_IMPORT_ROOTS)`;
  throw stepFailure({
    failureClass: 'configuration',
    reason: 'ImportRefused',
    message:
      `importer ${taskId} asks for ${uri}${real !== path ? ` (a link to ${real})` : ''}, a file outside the artifact store: ` +
      `file: importers may read only under an allowed import root, and ${allowed}`,
  });
}
