import { formatIrError, parseSpec, toYaml } from '../src';
import { readSpecFile } from '../src/node';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spec } from './support/build';

describe('parseSpec', () => {
  test('reads JSON and YAML alike', () => {
    expect(parseSpec(JSON.stringify(spec())).ok).toBe(true);
    expect(parseSpec(toYaml(spec())).ok).toBe(true);
  });

  test('refuses malformed text with a syntax error and its position', () => {
    const result = parseSpec('{ "schemaVersion": "1.0", ', { source: 'bad.json' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]).toMatchObject({ code: 'syntax', path: '$', source: 'bad.json', line: 1 });
  });

  test('refuses duplicate keys, which JSON.parse would silently collapse (two tasks with one id)', () => {
    const text = JSON.stringify(spec(), null, 2).replace(
      '"train": {\n        "type": "task"',
      '"make": { "type": "task", "component": "make", "inputs": {}, "dependsOn": [], "settings": {} },\n      "train": {\n        "type": "task"',
    );
    const result = parseSpec(text, { source: 'dup.json' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]?.code).toBe('syntax');
    expect(result.errors[0]?.message).toMatch(/duplicate key/);
  });

  test('points validation errors at their line in the source', () => {
    const yaml = toYaml(spec()).replace('component: train', 'component: trian');
    const result = parseSpec(yaml, { source: 'p.yaml' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const error = result.errors[0];
    expect(error).toMatchObject({ code: 'unknown-component', path: '$.root.tasks.train.component', source: 'p.yaml' });
    expect(yaml.split('\n')[(error?.line ?? 0) - 1]).toContain('component: trian');
    expect(formatIrError(error as never)).toMatch(
      /^p\.yaml:\d+:\d+: \$\.root\.tasks\.train\.component: .* \[unknown-component\]$/,
    );
  });

  test('refuses YAML aliases (no entity expansion)', () => {
    const result = parseSpec('a: &x [1, 2]\nb: *x\n');
    expect(result.ok).toBe(false);
  });

  test('an empty document is a schema error, not a crash', () => {
    expect(parseSpec('').ok).toBe(false);
  });
});

describe('readSpecFile', () => {
  test('reads a file and names it in errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-ir-'));
    const file = join(dir, 'p.yaml');
    writeFileSync(file, toYaml(spec()).replace('schemaVersion: "1.0"', 'schemaVersion: "9.0"'));
    const result = await readSpecFile(file);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]).toMatchObject({ code: 'unsupported-version', source: file, line: 1 });
  });
});
