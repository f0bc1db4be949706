import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileToJson } from '@kiln/dsl';
import { training } from './pipeline';

// The seed's pipeline is a golden pair: its IR changes only on purpose (UPDATE_GOLDEN=1 rewrites it).
describe('examples/training compiles', () => {
  const golden = join(__dirname, 'training.golden.json');

  test('to the committed golden IR', () => {
    const json = compileToJson(training);
    if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(golden, json);
    expect(json).toBe(readFileSync(golden, 'utf8'));
  });

  test('to byte-identical IR twice', () => {
    expect(compileToJson(training)).toBe(compileToJson(training));
  });
});
