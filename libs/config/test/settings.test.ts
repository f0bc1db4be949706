import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError, hostPort, loadSettings, type SettingSource } from '../src';

const schema = z.strictObject({
  temporal: z.strictObject({ address: hostPort, apiKey: z.string().optional() }),
});
const sources: SettingSource[] = [
  { path: 'temporal.address', env: 'KILN_TEMPORAL_ADDRESS' },
  { path: 'temporal.apiKey', env: 'KILN_TEMPORAL_API_KEY', secret: true },
];

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => `${p.setting}: ${p.message}`);
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadSettings', () => {
  test('names the environment variable and what it expects, never the value', () => {
    const problems = problemsOf(() =>
      loadSettings(schema, sources, { env: { KILN_TEMPORAL_ADDRESS: 'x' }, fileVariable: 'KILN_CONFIG' }),
    );
    expect(problems).toEqual(['KILN_TEMPORAL_ADDRESS: expected host:port']);
  });

  test('names the file and path, and the environment wins over the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-config-'));
    const file = join(dir, 'worker.yaml');
    writeFileSync(file, 'temporal:\n  address: nowhere\n  adress: typo:1\n');
    const problems = problemsOf(() =>
      loadSettings(schema, sources, { env: { KILN_CONFIG: file }, fileVariable: 'KILN_CONFIG' }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        `${file}: temporal.address: expected host:port`,
        `${file}: temporal.adress: unknown setting`,
      ]),
    );

    writeFileSync(file, 'temporal:\n  address: nowhere\n');
    const settings = loadSettings(schema, sources, {
      env: { KILN_CONFIG: file, KILN_TEMPORAL_ADDRESS: '127.0.0.1:7233' },
      fileVariable: 'KILN_CONFIG',
    });
    expect(settings.temporal.address).toBe('127.0.0.1:7233');
  });

  test('never shows a secret value', () => {
    const secretSchema = z.strictObject({
      temporal: z.strictObject({ address: hostPort, apiKey: z.string().min(40) }),
    });
    const problems = problemsOf(() =>
      loadSettings(secretSchema, sources, {
        env: { KILN_TEMPORAL_ADDRESS: '127.0.0.1:7233', KILN_TEMPORAL_API_KEY: 'hunter2-secret' },
        fileVariable: 'KILN_CONFIG',
      }),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^KILN_TEMPORAL_API_KEY: /);
    expect(problems.join('\n')).not.toContain('hunter2');
  });
});
