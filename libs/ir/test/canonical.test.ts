import { canonicalize, compareCodePoints, parseSpec, toYaml, type PipelineSpec } from '../src';
import { specDigest } from '../src/node';
import { spec } from './support/build';

/** The same value with every object's keys in reverse insertion order. */
function reversedKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reversedKeys) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, reversedKeys(v)]),
    ) as T;
  }
  return value;
}

describe('canonicalize', () => {
  test('puts schemaVersion first, sorts every other key, indents by 2 and ends with a newline', () => {
    const text = canonicalize(spec());
    expect(text.startsWith('{\n  "schemaVersion": "1.0",\n  "components": {\n    "echo": {')).toBe(true);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain(
      '"inputs": {\n          "data": {\n            "kind": "output",\n            "output": "data",\n            "task": "make"',
    );
  });

  test('gives the same bytes whatever order the keys were inserted in', () => {
    expect(canonicalize(reversedKeys(spec()))).toBe(canonicalize(spec()));
  });

  test('drops undefined fields and keeps array order', () => {
    const s = spec();
    s.pipeline.description = undefined;
    s.root.tasks['train'] = {
      ...(s.root.tasks['train'] as PipelineSpec['root']['tasks'][string]),
      dependsOn: ['make', 'a-later'],
    } as never;
    const text = canonicalize(s);
    expect(text).not.toContain('description');
    expect(text).toContain('"dependsOn": [\n          "make",\n          "a-later"\n        ]');
  });

  test('sorts keys by code point, not UTF-16 unit', () => {
    // U+FF61 is one unit above U+E000..; U+1F600 is two surrogate units starting 0xD83D, below 0xE000.
    expect(['\u{FF61}', '\u{1F600}', '\u{E000}'].sort(compareCodePoints)).toEqual([
      '\u{E000}',
      '\u{FF61}',
      '\u{1F600}',
    ]);
  });
});

describe('YAML and JSON round trips', () => {
  test('YAML keeps the canonical key order', () => {
    const yaml = toYaml(spec());
    expect(yaml.split('\n').slice(0, 3)).toEqual(['schemaVersion: "1.0"', 'components:', '  echo:']);
  });

  test('YAML → parse → canonical JSON is byte-identical to the original canonical JSON', () => {
    const result = parseSpec(toYaml(spec()), { source: 'p.yaml' });
    expect(result.ok && canonicalize(result.spec)).toBe(canonicalize(spec()));
  });

  test('canonical JSON → parse → canonical JSON is byte-identical', () => {
    const text = canonicalize(spec());
    const result = parseSpec(text, { source: 'p.json' });
    expect(result.ok && canonicalize(result.spec)).toBe(text);
  });
});

describe('specDigest', () => {
  test('is sha256 of the canonical JSON, independent of key order', () => {
    const digest = specDigest(spec());
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(specDigest(reversedKeys(spec()))).toBe(digest);
  });

  test('changes when the spec changes', () => {
    expect(specDigest(spec({}, { pipeline: { name: 'other' } }))).not.toBe(specDigest(spec()));
  });
});
