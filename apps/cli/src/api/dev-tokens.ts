/**
 * The API tokens of `kiln dev`: an admin token always (`--token`, else
 * generated), and with `--operator-token` / `--viewer-token` tokens of those
 * roles, to try the web UI as each role. The API gets their sha256 only.
 */
import { createHash, randomBytes } from 'node:crypto';
import { CliError } from '../errors';

/** The tokens `kiln dev` configures the API with, by role. */
export interface DevTokens {
  admin: string;
  operator?: string;
  viewer?: string;
}

const generatedToken = () => `kiln_dev_${randomBytes(24).toString('base64url')}`;

/** The admin token, and the operator and viewer tokens when their flags were given (generated when they have no value). */
export function devTokens(options: {
  token?: string | undefined;
  operatorToken?: string | boolean | undefined;
  viewerToken?: string | boolean | undefined;
}): DevTokens {
  const pick = (flag: string, value: string | boolean | undefined): string | undefined => {
    if (value === undefined || value === false) return undefined;
    if (value === true) return generatedToken();
    if (value.trim() === '')
      throw new CliError(`${flag} is empty: give a token, or leave the value out to generate one`);
    return value;
  };
  const tokens: DevTokens = { admin: pick('--token', options.token) ?? generatedToken() };
  const operator = pick('--operator-token', options.operatorToken);
  const viewer = pick('--viewer-token', options.viewerToken);
  if (operator) tokens.operator = operator;
  if (viewer) tokens.viewer = viewer;
  const given = Object.values(tokens);
  if (new Set(given).size !== given.length)
    throw new CliError('--token, --operator-token and --viewer-token must differ');
  return tokens;
}

/**
 * `KILN_API_TOKENS` for the tokens: `dev` (admin), `dev-operator`, `dev-viewer`, each as its sha256 only.
 *
 * @example
 * ```ts
 * apiTokensSetting({ admin: 'kiln_dev_a…', viewer: 'kiln_dev_v…' }); // 'dev:admin:5d0c…,dev-viewer:viewer:9f86…'
 * ```
 */
export function apiTokensSetting(tokens: DevTokens): string {
  const hash = (token: string) => createHash('sha256').update(token).digest('hex');
  return [
    `dev:admin:${hash(tokens.admin)}`,
    ...(tokens.operator ? [`dev-operator:operator:${hash(tokens.operator)}`] : []),
    ...(tokens.viewer ? [`dev-viewer:viewer:${hash(tokens.viewer)}`] : []),
  ].join(',');
}
