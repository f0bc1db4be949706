// Node-only: node:crypto. The in-pod launcher's file store loads it as `@kiln/ir/digest` (without the canonical form's yaml).
import { createHash } from 'node:crypto';
import { compareCodePoints } from './code-points';

/**
 * The digest of a directory artifact from its listing: sha256 over one line
 * per file, in code-point order of relative path, each
 * `<relative path>\0<file digest>\n`; entries may come in any order. It lives
 * here (not in `@kiln/artifacts`, which re-exports it) so the typed client can
 * check a downloaded directory with the very function the stores digest with,
 * without depending on the store library.
 *
 * @example
 * ```ts
 * digestListing([{ path: 'a.txt', digest: 'sha256:559aead0…' }]); // 'sha256:…'
 * ```
 */
export function digestListing(entries: readonly { path: string; digest: string }[]): `sha256:${string}` {
  const hash = createHash('sha256');
  for (const e of [...entries].sort((a, b) => compareCodePoints(a.path, b.path)))
    hash.update(`${e.path}\0${e.digest}\n`);
  return `sha256:${hash.digest('hex')}`;
}
