/**
 * Writing a downloaded artifact to disk: streamed (bounded memory), hashed on
 * the way, and renamed into place only when its sha256 matches the artifact's
 * digest, so a target path never holds bytes that were not verified.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { KilnApiError } from './errors';

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
  if (!/^sha256:[0-9a-f]{64}$/.test(expectedDigest)) {
    throw new KilnApiError(0, 'digest-mismatch', `${what} has no sha256 digest to check against (got ${JSON.stringify(expectedDigest)}); refusing an unverified download`);
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
      throw new KilnApiError(0, 'digest-mismatch', `${what}: downloaded ${size} bytes with digest ${digest}, but the artifact's digest is ${expectedDigest}; nothing was written to ${toPath}`);
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
    throw new KilnApiError(422, 'invalid-request', `artifact file path ${JSON.stringify(relative)} would leave the download folder`);
  }
  return join(root, normalized);
}
