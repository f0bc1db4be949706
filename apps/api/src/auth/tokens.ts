/**
 * API tokens, stored hashed: the configuration holds `sha256(token)` only, so
 * a leaked config file or log line never yields a usable token. Tokens are
 * random (see hash-token.ts), so a plain sha256 is enough; no salt or KDF.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { roles, type Role } from '@kiln/api-contract';

export interface ApiToken {
  /** Who holds it; appears in logs and audit fields, never the token. */
  name: string;
  role: Role;
  /** Lowercase hex sha256 of the token. */
  sha256: string;
}

const tokenEntry = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9_.@-]{1,64}$/, { error: 'token name must be 1-64 letters, digits, _ . @ -' }),
  role: z.enum(roles, { error: `role must be one of ${roles.join(', ')}` }),
  sha256: z
    .string()
    .transform((v) => v.toLowerCase())
    .pipe(
      z.string().regex(/^[0-9a-f]{64}$/, {
        error: 'sha256 must be 64 hex digits (node --import tsx apps/api/src/hash-token.ts prints one)',
      }),
    ),
});

/**
 * `KILN_API_TOKENS` (`name:role:sha256hex,...`) or a list of `{ name, role, sha256 }` from the config file.
 *
 * @example
 * ```ts
 * apiTokensSchema.parse('ci:operator:9f86d0...,alice:admin:2c26b4...');
 * ```
 */
export const apiTokensSchema = z
  .union(
    [
      z.array(tokenEntry),
      z
        .string()
        .transform((text) =>
          text
            .split(',')
            .map((item) => item.trim())
            .filter(Boolean)
            .map((item) => {
              const [name, role, sha256, ...rest] = item.split(':');
              return rest.length === 0 ? { name, role, sha256 } : { name: item, role: '', sha256: '' };
            }),
        )
        .pipe(z.array(tokenEntry, { error: 'expected name:role:sha256hex entries separated by commas' })),
    ],
    { error: 'expected name:role:sha256hex entries separated by commas' },
  )
  .refine((tokens) => new Set(tokens.map((t) => t.name)).size === tokens.length, {
    error: 'token names must be unique',
  });

/**
 * @example
 * ```ts
 * hashToken('kiln_3xAmple'); // '5d0c...' (64 hex digits)
 * ```
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * The holder of `token`, or undefined. Compares digests in constant time so the
 * response time says nothing about how much of a guess was right.
 */
export function findToken(tokens: readonly ApiToken[], token: string): ApiToken | undefined {
  const digest = Buffer.from(hashToken(token), 'hex');
  let found: ApiToken | undefined;
  for (const entry of tokens) {
    if (timingSafeEqual(digest, Buffer.from(entry.sha256, 'hex')) && !found) found = entry;
  }
  return found;
}
