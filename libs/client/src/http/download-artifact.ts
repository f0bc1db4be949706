/**
 * Downloading a run's output artifact over the API: a file streams with its
 * digest header and is checked on the way to disk; a directory artifact answers
 * with its listing (the digest the run recorded), then each file streams and
 * the directory is checked as a whole.
 */
import { apiRoutes, directoryListingSchema, kilnHeaders } from '@kiln/api-contract';
import { writeVerified, writeVerifiedDirectory } from '../download';
import { KilnApiError } from '../errors';
import type { ArtifactLocator, DownloadedArtifact, DownloadOptions } from '../resources';
import type { ApiRequester } from './request';

/** The body of a file answer; a mismatch with `expected` leaves nothing on disk (and nothing read). */
async function fetchFile(
  response: Response,
  target: string,
  label: string,
  expected: string | undefined,
  signal?: AbortSignal,
) {
  const digest = response.headers.get(kilnHeaders.digest) ?? '';
  if (expected && digest !== expected) {
    // Nobody reads this body: cancel it so the connection is not held.
    await response.body?.cancel();
    throw new KilnApiError(
      0,
      'digest-mismatch',
      `${label}: the API serves digest ${digest || '(none)'}, but ${expected} was expected; nothing was downloaded`,
    );
  }
  if (!response.body) throw new KilnApiError(response.status, 'internal', `${label}: the API answered without a body`);
  return writeVerified(response.body as AsyncIterable<Uint8Array>, target, digest, label, signal);
}

/**
 * @throws KilnApiError `not-found`, `digest-mismatch`, `unsupported` (a listing off the contract)
 *
 * @example
 * ```ts
 * await downloadArtifact(api, { runId, taskId: 'train', output: 'model' }, './model.pkl', {});
 * ```
 */
export async function downloadArtifact(
  api: ApiRequester,
  artifact: ArtifactLocator,
  toPath: string,
  options: DownloadOptions,
): Promise<DownloadedArtifact> {
  const { runId, taskId, output } = artifact;
  const iteration = artifact.iteration?.length ? artifact.iteration.join(',') : undefined;
  const what = `artifact ${taskId}/${output} of run ${runId}`;
  const request = (file?: string) =>
    api.open(apiRoutes.downloadArtifact, {
      params: { runId, taskId, output },
      query: { ...(iteration ? { iteration } : {}), ...(file ? { path: file } : {}) },
      noTimeout: true,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  const first = await request();
  // A file comes with its digest header; a directory artifact's answer is its JSON listing.
  if (first.headers.has(kilnHeaders.digest)) {
    const file = await fetchFile(first, toPath, what, artifact.digest, options.signal);
    return { path: toPath, kind: 'file', digest: file.digest, size: file.size, files: [{ path: toPath, ...file }] };
  }
  const parsed = directoryListingSchema.safeParse(await first.json().catch(() => undefined));
  if (!parsed.success)
    throw new KilnApiError(
      first.status,
      'unsupported',
      `${what}: the answer is neither a file nor a directory listing of the API contract`,
    );
  // The listing's digest is the one the run recorded; the files, whatever the store holds now.
  const listing = parsed.data;
  if (artifact.digest && listing.digest !== artifact.digest) {
    throw new KilnApiError(
      0,
      'digest-mismatch',
      `${what}: the run recorded digest ${listing.digest}, but ${artifact.digest} was expected; nothing was downloaded`,
    );
  }
  return writeVerifiedDirectory(
    toPath,
    listing.digest,
    what,
    async (writeFile) => {
      for (const entry of listing.files) {
        const response = await request(entry.path);
        if (!response.body)
          throw new KilnApiError(
            response.status,
            'internal',
            `${what}, file ${entry.path}: the API answered without a body`,
          );
        await writeFile(
          entry.path,
          response.body as AsyncIterable<Uint8Array>,
          response.headers.get(kilnHeaders.digest) ?? '',
        );
      }
    },
    options.signal,
  );
}
