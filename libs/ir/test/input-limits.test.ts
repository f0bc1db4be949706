/**
 * Limits checked before parsing: JSON and YAML nested far past any stack, YAML
 * stuffed with tokens or aliases, are refused with the limit, its maximum and a
 * position, quickly and without a RangeError or a memory blow-up.
 */
import {
  DEFAULT_INPUT_LIMITS,
  inputLimits,
  jsonTextDepthProblem,
  parseSpec,
  screenInputText,
  valueDepthProblem,
  yamlTextProblem,
} from '../src';

const nestedYamlMaps = (depth: number) =>
  Array.from({ length: depth }, (_, i) => `${'  '.repeat(i)}k${i}:\n`).join('') + `${'  '.repeat(depth)}v\n`;

describe('JSON text', () => {
  test('brackets inside strings do not count; the first bracket past the limit is located', () => {
    expect(jsonTextDepthProblem('{"a":"[[[[\\"[[[[","b":[[1]]}', 3)).toBeUndefined();
    expect(jsonTextDepthProblem('{\n "b": [[[1]]]}', 3)).toMatchObject({
      limit: 'maxDepth',
      max: 3,
      line: 2,
      column: 9,
    });
  });

  test('a million levels is refused by parseSpec at once, as an input-limit error', () => {
    const text = `{"schemaVersion":"1.0","pipeline":${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}}`;
    const result = parseSpec(text, { source: 'deep.json' });
    expect(result).toMatchObject({ ok: false, errors: [{ code: 'input-limit', source: 'deep.json', line: 1 }] });
  });
});

describe('YAML text', () => {
  test('flow and block nesting both count, compact sequences too', () => {
    const limits = inputLimits({ maxDepth: 20 });
    expect(yamlTextProblem(`a: ${'['.repeat(30)}${']'.repeat(30)}`, limits)?.limit).toBe('maxDepth');
    expect(yamlTextProblem(`a:\n  ${'- '.repeat(30)}x\n`, limits)?.limit).toBe('maxDepth');
    expect(yamlTextProblem(nestedYamlMaps(30), limits)).toMatchObject({ limit: 'maxDepth', max: 20, line: 22 });
    expect(yamlTextProblem(nestedYamlMaps(15), limits)).toBeUndefined();
  });

  test('block scalars and multi-line strings are text, not nesting', () => {
    const text = `a: |\n${Array.from({ length: 200 }, (_, i) => ' '.repeat(2 + i) + 'line').join('\n')}\nb: "x\n${' '.repeat(300)}y"\n`;
    expect(yamlTextProblem(text, DEFAULT_INPUT_LIMITS)).toBeUndefined();
  });

  test('token and alias limits name themselves', () => {
    expect(yamlTextProblem(`[${'a,'.repeat(2000)}a]`, inputLimits({ maxYamlTokens: 1000 }))).toMatchObject({
      limit: 'maxYamlTokens',
      max: 1000,
    });
    const bomb = `a: &a [x, x]\nb: &b [${'*a,'.repeat(10)}*a]\nc: [${'*b,'.repeat(200)}*b]\n`;
    expect(yamlTextProblem(bomb, DEFAULT_INPUT_LIMITS)).toMatchObject({ limit: 'maxYamlAliases', max: 100, line: 3 });
  });

  test('parseSpec refuses two million levels of YAML quickly, with line and column', () => {
    const started = Date.now();
    const result = parseSpec(`schemaVersion: "1.0"\npipeline:\n  ${'- '.repeat(2_000_000)}x\n`, {
      source: 'deep.yaml',
    });
    expect(result).toMatchObject({ ok: false, errors: [{ code: 'input-limit', source: 'deep.yaml', line: 3 }] });
    expect(result.ok ? '' : result.errors[0]?.message).toContain('the limit on nesting depth is 128');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  test('JSON that does not parse is screened as YAML (it goes to the YAML parser next)', () => {
    const screened = screenInputText(`[${'a,'.repeat(5000)}a]`, inputLimits({ maxYamlTokens: 1000 }));
    expect(screened).toMatchObject({ ok: false, problem: { limit: 'maxYamlTokens' } });
    expect(screenInputText('{"a": [1]}', DEFAULT_INPUT_LIMITS)).toEqual({ ok: true, json: { a: [1] } });
  });
});

describe('values', () => {
  test('a value a hundred thousand levels deep is measured without recursion, and the path is named', () => {
    let value: unknown = 1;
    for (let i = 0; i < 100_000; i++) value = { a: [value] };
    const problem = valueDepthProblem({ n: value }, 4, '$.params');
    expect(problem).toMatchObject({ limit: 'maxDepth', max: 4, path: '$.params.n.a[0].a' });
    expect(valueDepthProblem({ 'odd key': [[1]] }, 2)).toMatchObject({ path: '$["odd key"][0]' });
    expect(valueDepthProblem({ wide: Array.from({ length: 100_000 }, () => [1]) }, 3)).toBeUndefined();
  });
});
