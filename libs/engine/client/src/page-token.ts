/**
 * Page tokens as clients see them: Temporal's token, base64url, with a short
 * sha256 check appended (`<token>.<check>`). Temporal answers a token it cannot
 * read with gRPC UNKNOWN ("something went wrong, please retry"), which the SDK
 * retries for about 20 seconds before giving up; a token that fails the check
 * is refused here at once instead, without a call. The check is no secret (a
 * client could forge one): it catches junk, truncation and tokens from elsewhere.
 */
import { createHash } from 'node:crypto';
import { KilnRequestError } from './errors';

const refusal = 'pageToken is not a token from a previous page (pass nextPageToken exactly as it was answered)';

function checkOf(token: Uint8Array): string {
  return createHash('sha256').update(token).digest('base64url').slice(0, 12);
}

/**
 * Temporal's page token from a client's text.
 *
 * @throws KilnRequestError `invalid-request` for a token this API did not hand out.
 * @example
 * ```ts
 * const nextPageToken = decodePageToken(request.query.pageToken); // Buffer | undefined
 * ```
 */
export function decodePageToken(pageToken: string | undefined): Buffer | undefined {
  if (pageToken === undefined) return undefined;
  const match = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{12})$/.exec(pageToken);
  const token = match?.[1] ? Buffer.from(match[1], 'base64url') : undefined;
  if (!token?.length || checkOf(token) !== match?.[2]) {
    throw new KilnRequestError('invalid-request', refusal, [{ path: 'pageToken', message: refusal }]);
  }
  return token;
}

/**
 * Temporal's next page token as text for clients, absent on the last page.
 *
 * @example
 * ```ts
 * encodePageToken(response.nextPageToken); // 'eyJDbG9zZVRpbWUi...Ik.x3AbT0kq9ZcW'
 * ```
 */
export function encodePageToken(token: Uint8Array | null | undefined): string | undefined {
  return token?.length ? `${Buffer.from(token).toString('base64url')}.${checkOf(token)}` : undefined;
}
