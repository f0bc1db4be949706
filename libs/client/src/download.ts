/**
 * Writing a downloaded artifact to disk: streamed (bounded memory), hashed on
 * the way, and renamed into place only when its sha256 matches the artifact's
 * digest, so a target path never holds bytes that were not verified. A
 * directory is checked as a whole: its digest is recomputed from the files as
 * downloaded, with the same function the artifact stores use.
 */
import { digestListing } from '@kiln/ir/node';
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { KilnApiError } from './errors';
import type { DownloadedArtifact } from './resources';

const sha256Digest = /^sha256:[0-9a-f]{64}$/;

/**
 * Streams `body` to `toPath` and checks it against `expectedDigest` (`sha256:<hex>`).
 * @throws KilnApiError `digest-mismatch` (the partial file is removed)
 *
 * @example
 * ```ts
 * const { digest, size } = await writeVerified(response.body, '/tmp/model.pkl', 'sha256:ab12…', 'train/model');
 * ```
 */
export async function writeVerified(
  body: AsyncIterable<Uint8Array>,
  toPath: string,
  expectedDigest: string,
  what: string,
  signal?: AbortSignal,
): Promise<{ digest: string; size: number }> {
  if (!sha256Digest.test(expectedDigest)) {
    throw new KilnApiError(
      0,
      'digest-mismatch',
      `${what} has no sha256 digest to check against (got ${JSON.stringify(expectedDigest)}); refusing an unverified download`,
    );
  }
  await mkdir(dirname(toPath), { recursive: true });
  const partial = `${toPath}.kiln-partial-${randomUUID().slice(0, 8)}`;
  const hash = createHash('sha256');
  let size = 0;
  try {
    await pipeline(
      Readable.from(body),
      async function* (source: AsyncIterable<Uint8Array>) {
        for await (const chunk of source) {
          hash.update(chunk);
          size += chunk.length;
          yield chunk;
        }
      },
      createWriteStream(partial),
      ...(signal ? [{ signal }] : []),
    );
    const digest = `sha256:${hash.digest('hex')}`;
    if (digest !== expectedDigest) {
      throw new KilnApiError(
        0,
        'digest-mismatch',
        `${what}: downloaded ${size} bytes with digest ${digest}, but the artifact's digest is ${expectedDigest}; nothing was written to ${toPath}`,
      );
    }
    await rename(partial, toPath);
    return { digest, size };
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

/**
 * Where a directory artifact's file lands under `root`.
 * @throws KilnApiError `invalid-request` for a path that would leave `root`.
 */
export function fileUnder(root: string, relative: string): string {
  const normalized = normalize(relative);
  if (isAbsolute(normalized) || normalized === '..' || normalized.startsWith(`..${sep}`)) {
    throw new KilnApiError(
      422,
      'invalid-request',
      `artifact file path ${JSON.stringify(relative)} would leave the download folder`,
    );
  }
  return join(root, normalized);
}

/** Writes one file of a directory artifact (its `/`-separated path inside the directory), checked against `fileDigest`. */
export type DirectoryFileWriter = (
  relative: string,
  body: AsyncIterable<Uint8Array>,
  fileDigest: string,
) => Promise<void>;

/**
 * Downloads a directory artifact into a fresh sibling folder of `toPath`, each
 * file through {@link writeVerified}, then recomputes the directory digest from
 * the (path, digest) list of what was written and renames the folder to
 * `toPath` only if it is `recordedDigest`, the digest the run recorded. The
 * per-file digests come from the store as it is now, so only this whole-listing
 * check ties the bytes to the run (a changed, added or removed file changes it).
 * On any failure the folder is removed and nothing is at `toPath`.
 * @throws KilnApiError `digest-mismatch`; `conflict` when `toPath` exists and is not an empty folder
 *
 * @example
 * ```ts
 * await writeVerifiedDirectory('/tmp/model', 'sha256:ab12…', 'train/model', async (writeFile) => {
 *   for (const f of files) await writeFile(f.path, await open(f.path), f.digest);
 * });
 * ```
 */
export async function writeVerifiedDirectory(
  toPath: string,
  recordedDigest: string,
  what: string,
  writeFiles: (writeFile: DirectoryFileWriter) => Promise<void>,
  signal?: AbortSignal,
): Promise<DownloadedArtifact> {
  if (!sha256Digest.test(recordedDigest)) {
    throw new KilnApiError(
      0,
      'digest-mismatch',
      `${what} has no sha256 digest to check against (got ${JSON.stringify(recordedDigest)}); refusing an unverified download`,
    );
  }
  await refuseToReplace(toPath, what);
  await mkdir(dirname(toPath), { recursive: true });
  const partial = `${toPath}.kiln-partial-${randomUUID().slice(0, 8)}`;
  await mkdir(partial);
  const written: { relative: string; digest: string; size: number }[] = [];
  try {
    await writeFiles(async (relative, body, fileDigest) => {
      if (written.some((w) => w.relative === relative)) {
        throw new KilnApiError(
          0,
          'digest-mismatch',
          `${what}: file ${relative} is listed twice; nothing was written to ${toPath}`,
        );
      }
      const file = await writeVerified(
        body,
        fileUnder(partial, relative),
        fileDigest,
        `${what}, file ${relative}`,
        signal,
      );
      written.push({ relative, ...file });
    });
    const digest = digestListing(written.map((w) => ({ path: w.relative, digest: w.digest })));
    if (digest !== recordedDigest) {
      throw new KilnApiError(
        0,
        'digest-mismatch',
        `${what}: the ${written.length} files downloaded make a directory with digest ${digest}, but the run recorded ${recordedDigest} (a file was changed, added or removed in the store since); nothing was written to ${toPath}`,
      );
    }
    try {
      await rename(partial, toPath);
    } catch (error) {
      // Someone created `toPath` while the files downloaded.
      if (['ENOTEMPTY', 'EEXIST', 'ENOTDIR', 'EISDIR'].includes((error as NodeJS.ErrnoException).code ?? ''))
        await refuseToReplace(toPath, what);
      throw error;
    }
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    throw error;
  }
  return {
    path: toPath,
    kind: 'directory',
    digest: recordedDigest,
    size: written.reduce((n, w) => n + w.size, 0),
    files: written.map((w) => ({ path: join(toPath, normalize(w.relative)), digest: w.digest, size: w.size })),
  };
}

/** A directory download never merges into or replaces what a caller already has; an empty folder is fine. */
async function refuseToReplace(toPath: string, what: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(toPath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if (code === 'ENOTDIR')
      throw new KilnApiError(
        409,
        'conflict',
        `${what} is a directory, but ${toPath} is a file; remove it or pick another path`,
      );
    throw error;
  }
  if (entries.length > 0)
    throw new KilnApiError(
      409,
      'conflict',
      `${what} is a directory, and ${toPath} already holds ${entries.length} entries; remove it or pick another path`,
    );
}
