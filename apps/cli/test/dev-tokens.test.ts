/** `kiln dev`'s tokens by role, and the `KILN_API_TOKENS` setting it hands the API (hashes only). */
import { createHash } from 'node:crypto';
import { apiTokensSetting, devTokens } from '../src/api/dev-tokens';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

test('without role flags there is only an admin token, generated unless --token gives it', () => {
  expect(devTokens({})).toEqual({ admin: expect.stringMatching(/^kiln_dev_[A-Za-z0-9_-]{32}$/) });
  expect(devTokens({ token: 'my-admin-token' })).toEqual({ admin: 'my-admin-token' });
});

test('--operator-token and --viewer-token take a value, or generate one when given bare', () => {
  const tokens = devTokens({ token: 'a-token', operatorToken: 'o-token', viewerToken: true });
  expect(tokens).toEqual({ admin: 'a-token', operator: 'o-token', viewer: expect.stringMatching(/^kiln_dev_/) });
});

test('an empty or repeated token is refused, naming the flag', () => {
  expect(() => devTokens({ viewerToken: ' ' })).toThrow('--viewer-token is empty');
  expect(() => devTokens({ token: 'same-token', operatorToken: 'same-token' })).toThrow(
    '--token, --operator-token and --viewer-token must differ',
  );
});

test('the API is told each token as name:role:sha256, never the token itself', () => {
  const setting = apiTokensSetting({ admin: 'a-token', operator: 'o-token', viewer: 'v-token' });
  expect(setting).toBe(
    `dev:admin:${sha256('a-token')},dev-operator:operator:${sha256('o-token')},dev-viewer:viewer:${sha256('v-token')}`,
  );
  expect(setting).not.toMatch(/[aov]-token/);
  expect(apiTokensSetting({ admin: 'a-token' })).toBe(`dev:admin:${sha256('a-token')}`);
});
