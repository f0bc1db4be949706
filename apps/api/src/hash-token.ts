/**
 * Prints the sha256 of an API token for `KILN_API_TOKENS`; with no argument,
 * makes a new random token and prints both (the token only this once).
 *
 *   node --import tsx apps/api/src/hash-token.ts             # new token + hash
 *   node --import tsx apps/api/src/hash-token.ts "$TOKEN"    # hash of an existing token
 *   echo -n "$TOKEN" | node --import tsx apps/api/src/hash-token.ts -   # from stdin (not in shell history)
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hashToken } from './auth/tokens';

const arg = process.argv[2];
if (arg === undefined) {
  const token = `kiln_${randomBytes(24).toString('base64url')}`;
  process.stdout.write(`token:  ${token}\nsha256: ${hashToken(token)}\n`);
  process.stdout.write(`\nKILN_API_TOKENS entry: <name>:<viewer|operator|admin>:${hashToken(token)}\n`);
} else {
  const token = arg === '-' ? readFileSync(0, 'utf8').replace(/\r?\n$/, '') : arg;
  process.stdout.write(`${hashToken(token)}\n`);
}
