import { checkParamValues, describeParamProblems, sameJson, type ParamSpec } from '../src';

const declared: Record<string, ParamSpec> = {
  who: { kind: 'param', type: 'string', default: 'world' },
  n: { kind: 'param', type: 'int' },
  rate: { kind: 'param', type: 'float', default: 0.5 },
  mode: { kind: 'param', type: 'string', enum: ['fast', 'slow'], default: 'fast' },
  shape: { kind: 'param', type: 'object', optional: true, enum: [{ w: 1, h: 2 }] },
};

test('defaults fill in what is not given, and optional parameters without a value stay absent', () => {
  expect(checkParamValues(declared, { n: 3 })).toEqual({
    values: { who: 'world', n: 3, rate: 0.5, mode: 'fast' },
    problems: [],
  });
});

test('an int is a float, but a float is not an int', () => {
  expect(checkParamValues(declared, { n: 3, rate: 2 }).problems).toEqual([]);
  expect(checkParamValues(declared, { n: 3.5 }).problems).toEqual([{ param: 'n', message: 'must be int, got 3.5' }]);
});

test('every problem is named: unknown names first, then declared parameters in order', () => {
  const { values, problems } = checkParamValues(declared, { nn: 1, who: 7, mode: 'medium' });
  expect(problems).toEqual([
    { param: 'nn', message: 'unknown parameter (declared: who, n, rate, mode, shape)' },
    { param: 'who', message: 'must be string, got 7' },
    { param: 'n', message: 'required (int) and has no default' },
    { param: 'mode', message: 'must be one of "fast", "slow", got "medium"' },
  ]);
  expect(values).toEqual({ rate: 0.5 });
  expect(describeParamProblems('hello', problems.slice(1, 2))).toBe(
    'invalid parameters for pipeline hello: who: must be string, got 7',
  );
});

test('null is a value, not a request for the default', () => {
  expect(checkParamValues(declared, { n: 1, who: null }).problems).toEqual([
    { param: 'who', message: 'must be string, got null' },
  ]);
});

test('enums of objects compare by structure, not key order', () => {
  expect(checkParamValues(declared, { n: 1, shape: { h: 2, w: 1 } }).problems).toEqual([]);
  expect(checkParamValues(declared, { n: 1, shape: { h: 2, w: 1, d: 0 } }).problems).toHaveLength(1);
  expect(sameJson([1, { a: null }], [1, { a: null }])).toBe(true);
  expect(sameJson([1, 2], [2, 1])).toBe(false);
  expect(sameJson({ a: 1 }, { b: 1 })).toBe(false);
});
