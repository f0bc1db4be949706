/** The API's configuration: tokens as hashes, errors naming the setting, no secret in any message. */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadApiConfig } from '../src/config/load';
import { ConfigError } from '@kiln/config';
import { findToken, hashToken } from '../src/auth/tokens';
import { DEFAULT_INPUT_LIMITS } from '@kiln/ir';

const sha = hashToken('secret-token');
const message = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

test('tokens come from KILN_API_TOKENS as name:role:sha256 entries', () => {
  const config = loadApiConfig({ KILN_API_TOKENS: `ci:operator:${sha}, alice:admin:${hashToken('other')}` });
  expect(config.auth.tokens).toEqual([
    { name: 'ci', role: 'operator', sha256: sha },
    { name: 'alice', role: 'admin', sha256: hashToken('other') },
  ]);
  expect(findToken(config.auth.tokens ?? [], 'secret-token')?.name).toBe('ci');
  expect(findToken(config.auth.tokens ?? [], 'guess')).toBeUndefined();
});

test('without tokens the API refuses to start unless auth is explicitly disabled', () => {
  expect(message(() => loadApiConfig({}))).toMatch(/^KILN_API_TOKENS: required/);
  expect(loadApiConfig({ KILN_API_AUTH_DISABLED: 'true' }).auth.disabled).toBe(true);
});

test('errors name the variable and what was expected', () => {
  const text = message(() =>
    loadApiConfig({
      KILN_API_TOKENS: 'ci:superuser:abc',
      KILN_API_PORT: 'eighty',
      KILN_TEMPORAL_ADDRESS: 'x',
      KILN_ARTIFACTS: 's3://user:pass@bucket/p',
    }),
  );
  expect(text).toContain(`KILN_TEMPORAL_ADDRESS: expected host:port`);
  expect(text).toContain('KILN_API_PORT: expected a whole number from 0 to 65535');
  expect(text).toContain('KILN_API_TOKENS');
  expect(text).toContain('KILN_ARTIFACTS: must not carry credentials');
});

test('a config file works, the environment wins, and S3 keys in the file are refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kiln-api-config-'));
  const file = join(dir, 'api.yaml');
  writeFileSync(file, `server:\n  port: 9000\nauth:\n  tokens:\n    - { name: ci, role: viewer, sha256: ${sha} }\n`);
  const config = loadApiConfig({ KILN_API_CONFIG: file, KILN_API_HOST: '0.0.0.0' });
  expect(config.server).toEqual({ host: '0.0.0.0', port: 9000 });
  expect(config.auth.tokens?.[0]?.role).toBe('viewer');

  writeFileSync(file, 'store:\n  url: file:///tmp/x\n  secretKey: hunter2\n');
  const text = message(() => loadApiConfig({ KILN_CONFIG: file, KILN_API_AUTH_DISABLED: '1' }));
  expect(text).toBe(`${file}: store.secretKey: set it in the environment (KILN_S3_SECRET_KEY), never in a file`);
  expect(text).not.toContain('hunter2');
});

test('the Temporal API key never appears in an error message', () => {
  const text = message(() =>
    loadApiConfig({ KILN_TEMPORAL_API_KEY: '', KILN_CONFIG: writeTemp('temporal:\n  apiKey: 12345\n') }),
  );
  expect(text).toContain('temporal.apiKey');
  expect(text).not.toContain('12345');
});

test('hash-token prints the sha256 of a token, or a new token with its hash', () => {
  const script = resolve(__dirname, '../src/hash-token.ts');
  const run = (args: string[], input?: string) =>
    execFileSync(process.execPath, ['--import', 'tsx', script, ...args], {
      encoding: 'utf8',
      ...(input !== undefined ? { input } : {}),
    });
  expect(run(['secret-token']).trim()).toBe(sha);
  expect(run(['-'], 'secret-token\n').trim()).toBe(sha);
  const fresh = run([]);
  const token = /token:\s+(\S+)/.exec(fresh)?.[1] ?? '';
  expect(fresh).toContain(`sha256: ${hashToken(token)}`);
  expect(token).toMatch(/^kiln_[A-Za-z0-9_-]{32}$/);
});

function writeTemp(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'kiln-api-config-')), 'c.yaml');
  writeFileSync(file, text);
  return file;
}

test('inline IR on POST /runs needs admin unless KILN_API_INLINE_SPEC_ROLE lowers it', () => {
  const tokens = `ci:operator:${sha}`;
  expect(loadApiConfig({ KILN_API_TOKENS: tokens }).auth.inlineSpecRole).toBe('admin');
  expect(loadApiConfig({ KILN_API_TOKENS: tokens, KILN_API_INLINE_SPEC_ROLE: 'operator' }).auth.inlineSpecRole).toBe(
    'operator',
  );
  expect(message(() => loadApiConfig({ KILN_API_TOKENS: tokens, KILN_API_INLINE_SPEC_ROLE: 'root' }))).toMatch(
    /^KILN_API_INLINE_SPEC_ROLE: /,
  );
});

test('input limits and schedule limits are settings with documented defaults', () => {
  const defaults = loadApiConfig({ KILN_API_AUTH_DISABLED: 'true' });
  expect(defaults.limits.input).toEqual({
    maxDepth: DEFAULT_INPUT_LIMITS.maxDepth,
    maxYamlTokens: 200_000,
    maxYamlAliases: DEFAULT_INPUT_LIMITS.maxYamlAliases,
  });
  expect(defaults.schedules).toEqual({ minIntervalSeconds: 60, maxBackfillActions: 1000 });
  const set = loadApiConfig({
    KILN_API_AUTH_DISABLED: 'true',
    KILN_MAX_INPUT_DEPTH: '64',
    KILN_MAX_YAML_TOKENS: '5000',
    KILN_API_SCHEDULE_MIN_INTERVAL_SECONDS: '5',
    KILN_API_MAX_BACKFILL_ACTIONS: '20',
  });
  expect(set.limits.input).toMatchObject({ maxDepth: 64, maxYamlTokens: 5000 });
  expect(set.schedules).toEqual({ minIntervalSeconds: 5, maxBackfillActions: 20 });
  expect(message(() => loadApiConfig({ KILN_API_AUTH_DISABLED: 'true', KILN_MAX_INPUT_DEPTH: '100000' }))).toBe(
    'KILN_MAX_INPUT_DEPTH: expected a whole number from 8 to 1000',
  );
});

test('the API process refuses a bad KILN_API_TOKENS entry without printing it', () => {
  const leaked = 'kiln_s3cr3t-token-pasted-by-mistake';
  const main = resolve(__dirname, '../src/main.ts');
  const result = spawnSync(process.execPath, ['--import', 'tsx', main], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { PATH: process.env['PATH'], KILN_API_TOKENS: `ci:operator:${leaked},${leaked}` },
  });
  expect(result.status).toBe(2);
  expect(result.stderr).toContain('KILN_API_TOKENS');
  expect(result.stderr + result.stdout).not.toContain(leaked);
});
