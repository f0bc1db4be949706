/** Which Temporal `kiln run` talks to: the worker's KILN_* settings, the Temporal CLI's TEMPORAL_* variables, or none. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@kiln/config';
import { cliTemporalSettings } from '../src/commands/run';

describe('cliTemporalSettings', () => {
  test('nothing configured means the embedded server', () => {
    expect(cliTemporalSettings({ HOME: '/root', TEMPORAL_NAMESPACE: 'ml' })).toBeUndefined();
  });

  test("the Temporal CLI's variables work, including the API key and TLS files", () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-cli-'));
    writeFileSync(join(dir, 'ca.pem'), 'ca');
    expect(
      cliTemporalSettings({
        TEMPORAL_ADDRESS: 'temporal.example.com:7233',
        TEMPORAL_NAMESPACE: 'ml',
        TEMPORAL_API_KEY: 'k',
        TEMPORAL_TLS_CA: join(dir, 'ca.pem'),
      }),
    ).toEqual({
      address: 'temporal.example.com:7233',
      namespace: 'ml',
      taskQueue: 'kiln',
      apiKey: 'k',
      tlsCa: join(dir, 'ca.pem'),
    });
  });

  test("the worker's KILN_* settings win over TEMPORAL_* ones", () => {
    expect(
      cliTemporalSettings({
        TEMPORAL_ADDRESS: 'a.example:7233',
        KILN_TEMPORAL_ADDRESS: 'b.example:7233',
        KILN_TASK_QUEUE: 'gpu',
      }),
    ).toMatchObject({
      address: 'b.example:7233',
      taskQueue: 'gpu',
    });
  });

  test('a KILN_CONFIG file shared with the worker is read for its temporal section', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-cli-'));
    const file = join(dir, 'kiln.yaml');
    writeFileSync(file, 'temporal:\n  address: c.example:7233\n  namespace: prod\nexecutor: kubernetes\n');
    expect(cliTemporalSettings({ KILN_CONFIG: file })).toMatchObject({ address: 'c.example:7233', namespace: 'prod' });
  });

  test('a bad address names the variable it came from', () => {
    expect(() => cliTemporalSettings({ TEMPORAL_ADDRESS: 'no-port' })).toThrow(ConfigError);
    expect(() => cliTemporalSettings({ KILN_TEMPORAL_ADDRESS: 'no-port' })).toThrow(
      /^KILN_TEMPORAL_ADDRESS: expected host:port/,
    );
    expect(() => cliTemporalSettings({ TEMPORAL_ADDRESS: 'no-port' })).toThrow(/^TEMPORAL_ADDRESS: expected host:port/);
    // No configured value is ever echoed, the bad one included.
    expect(() => cliTemporalSettings({ TEMPORAL_ADDRESS: 'no-port' })).not.toThrow(/no-port/);
  });
});
