/**
 * Golden pairs: each `golden/<name>.ts` exports one or more pipelines; its
 * canonical IR must equal `golden/<name>.json` (or `<name>.<export>.json` when
 * it exports several) byte for byte. `UPDATE_GOLDEN=1` rewrites the files.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileToJson, isPipeline } from '../src';

const dir = join(__dirname, 'golden');
const update = process.env['UPDATE_GOLDEN'] === '1';
const sources = readdirSync(dir)
  .filter((f) => f.endsWith('.ts'))
  .sort();

describe('golden IR', () => {
  for (const file of sources) {
    const mod = require(join(dir, file)) as Record<string, unknown>;
    const pipelines = Object.entries(mod).filter(([, v]) => isPipeline(v));
    for (const [name, p] of pipelines) {
      const base = file.replace(/\.ts$/, '');
      const golden = pipelines.length === 1 ? `${base}.json` : `${base}.${name}.json`;
      test(`${file} ${name} compiles to ${golden}`, () => {
        const text = compileToJson(p as Parameters<typeof compileToJson>[0]);
        const path = join(dir, golden);
        if (update) writeFileSync(path, text);
        expect(text).toBe(readFileSync(path, 'utf8'));
      });
    }
  }

  test('every golden source exports a pipeline', () => {
    for (const file of sources) {
      const mod = require(join(dir, file)) as Record<string, unknown>;
      expect([file, Object.values(mod).some(isPipeline)]).toEqual([file, true]);
    }
  });
});
