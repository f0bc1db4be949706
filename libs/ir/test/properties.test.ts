import fc from 'fast-check';
import { canonicalize, parseSpec, toYaml, validateSpec } from '../src';
import { mutate, mutation, validSpec } from './support/arbitrary';

const runs = { numRuns: 200 };

describe('property: valid specs', () => {
  test('validate, and survive canonical JSON → parse → validate → canonical JSON byte-identical', () => {
    fc.assert(
      fc.property(validSpec, (spec) => {
        const checked = validateSpec(spec);
        expect(checked.ok ? [] : checked.errors).toEqual([]);
        const text = canonicalize(spec);
        const parsed = parseSpec(text);
        expect(parsed.ok ? [] : parsed.errors).toEqual([]);
        expect(parsed.ok && canonicalize(parsed.spec)).toBe(text);
      }),
      runs,
    );
  });

  test('survive YAML → parse → canonical JSON byte-identical', () => {
    fc.assert(
      fc.property(validSpec, (spec) => {
        const parsed = parseSpec(toYaml(spec));
        expect(parsed.ok ? [] : parsed.errors).toEqual([]);
        expect(parsed.ok && canonicalize(parsed.spec)).toBe(canonicalize(spec));
      }),
      { numRuns: 100 }, // the yaml library is ~10x slower than JSON.parse
    );
  });
});

describe('property: broken specs', () => {
  test('random mutations of valid IR never make the validator throw', () => {
    fc.assert(
      fc.property(validSpec, fc.array(mutation, { minLength: 1, maxLength: 4 }), (spec, mutations) => {
        const doc = JSON.parse(JSON.stringify(spec));
        for (const m of mutations) mutate(doc, m);
        const result = validateSpec(doc);
        if (!result.ok) {
          expect(result.errors.length).toBeGreaterThan(0);
          for (const e of result.errors) expect(e.path.startsWith('$')).toBe(true);
        }
        expect(() => parseSpec(JSON.stringify(doc) ?? '')).not.toThrow();
      }),
      runs,
    );
  });

  test('arbitrary values never make the validator throw', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        expect(validateSpec(value).ok).toBe(false);
      }),
      runs,
    );
  });
});
