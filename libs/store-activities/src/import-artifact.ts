/** The importer: bring an existing URI in as an artifact, with its content digest. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArtifactError, locate, type ArtifactStore } from '@kiln/artifacts';
import {
  stepFailure,
  type ArtifactRef,
  type ImportArtifactRequest,
  type LegacyImportArtifactRequest,
} from '@kiln/engine-contract';
import { importTargetUri } from '@kiln/store-layout';
import { checkImportAllowed } from './import-roots';

/**
 * Stats the URI (digest, stored metadata) and returns it as an artifact; with
 * `reimport`, copies the bytes into the run's outputs first (`importTargetUri`)
 * so later changes to the source cannot change this run's input. A `file:` URI outside the
 * store must lie under one of `importRoots` (none by default; see `checkImportAllowed`).
 */
export async function importArtifact(
  store: ArtifactStore,
  req: ImportArtifactRequest | LegacyImportArtifactRequest,
  importRoots: readonly string[] = [],
): Promise<ArtifactRef> {
  await checkImportAllowed(store, req.uri, importRoots, req.taskId);
  try {
    const { store: source, key } = locate(req.uri, store);
    let stat = await source.stat(key);
    let uri = req.uri;
    if (req.reimport) {
      const scratch = await mkdtemp(join(tmpdir(), 'kiln-import-'));
      try {
        const local = join(scratch, 'data');
        await source.getToPath(key, local);
        const target = importTargetUri(req);
        stat = await store.putPath(store.keyOf(target), local, {
          metadata: { ...stat.metadata, ...req.metadata },
        });
        uri = target;
      } finally {
        await rm(scratch, { recursive: true, force: true });
      }
    }
    return { uri, type: req.artifactType, digest: stat.digest, metadata: { ...stat.metadata, ...req.metadata } };
  } catch (error) {
    // An import source that is not there, or a URI Kiln cannot read, will not fix itself within a retry.
    if (error instanceof ArtifactError && (error.code === 'not-found' || !error.retryable)) {
      throw stepFailure({
        failureClass: 'configuration',
        reason: 'ImportFailed',
        message: `cannot import ${req.uri} for task ${req.taskId}: ${error.message}`,
        cause: error,
      });
    }
    throw error;
  }
}
