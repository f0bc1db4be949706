/** The run actions' pure parts: which role may do what, and the re-run form's fields read back into typed parameters. */
import type { ParamSpec } from '@kiln/ir';
import { runPermissions, tokenFingerprint } from '../../src/api/run-actions';
import { initialParamValues, paramFields, readParamValues } from '../../src/pages/run/param-form';

const declared: Record<string, ParamSpec> = {
  dataUrl: { kind: 'param', type: 'string', default: 'sklearn:breast_cancer' },
  minAccuracy: { kind: 'param', type: 'float', default: 0.85, description: 'deploy at or above' },
  epochs: { kind: 'param', type: 'int' },
  dryRun: { kind: 'param', type: 'bool', default: false },
  layers: { kind: 'param', type: 'list', default: [64, 32] },
  mode: { kind: 'param', type: 'string', enum: ['fast', 'full'], default: 'fast' },
  notes: { kind: 'param', type: 'object', optional: true },
};
const fields = paramFields(declared);

test('a viewer may do nothing, an operator cancels, retries and re-runs stored pipelines, an admin also inline IR', () => {
  expect(runPermissions({ role: 'viewer', inlineSpecRole: 'admin' })).toEqual({
    operate: false,
    startInlineSpec: false,
  });
  expect(runPermissions({ role: 'operator', inlineSpecRole: 'admin' })).toEqual({
    operate: true,
    startInlineSpec: false,
  });
  expect(runPermissions({ role: 'operator', inlineSpecRole: 'operator' })).toEqual({
    operate: true,
    startInlineSpec: true,
  });
  expect(runPermissions({ role: 'admin', inlineSpecRole: 'admin' })).toEqual({ operate: true, startInlineSpec: true });
});

test('the role is cached per token under a fingerprint that does not contain the token', () => {
  expect(tokenFingerprint('kiln_dev_abc')).toBe(tokenFingerprint('kiln_dev_abc'));
  expect(tokenFingerprint('kiln_dev_abc')).not.toBe(tokenFingerprint('kiln_dev_abd'));
  expect(tokenFingerprint('kiln_dev_abc')).not.toContain('abc');
});

test('each parameter type gets its input, in declaration order', () => {
  expect(fields.map((f) => [f.name, f.input])).toEqual([
    ['dataUrl', 'text'],
    ['minAccuracy', 'number'],
    ['epochs', 'number'],
    ['dryRun', 'checkbox'],
    ['layers', 'json'],
    ['mode', 'select'],
    ['notes', 'json'],
  ]);
  expect(fields.find((f) => f.name === 'mode')?.options).toEqual(['"fast"', '"full"']);
});

test("the form starts from the run's parameters, defaults for the rest", () => {
  expect(initialParamValues(fields, { minAccuracy: 0.999, epochs: 3, mode: 'full' })).toEqual({
    dataUrl: 'sklearn:breast_cancer',
    minAccuracy: '0.999',
    epochs: '3',
    dryRun: false,
    layers: '[\n  64,\n  32\n]',
    mode: '"full"',
    notes: '',
  });
});

test('what was typed is read back typed; an empty optional field is left out', () => {
  const values = { ...initialParamValues(fields, { epochs: 3 }), minAccuracy: '0.5', dryRun: true, layers: '[1]' };
  expect(readParamValues(fields, values)).toEqual({
    params: {
      dataUrl: 'sklearn:breast_cancer',
      minAccuracy: 0.5,
      epochs: 3,
      dryRun: true,
      layers: [1],
      mode: 'fast',
    },
    problems: [],
  });
});

test('bad values are named per parameter before anything is sent', () => {
  const values = {
    ...initialParamValues(fields, {}),
    minAccuracy: 'high',
    layers: '[1,',
    epochs: '2.5',
    mode: '"slow"',
  };
  const problems = readParamValues(fields, values).problems;
  expect(problems).toEqual([
    { param: 'minAccuracy', message: 'must be a number, got "high"' },
    { param: 'layers', message: expect.stringContaining('is not JSON') },
  ]);
  const typed = readParamValues(fields, { ...values, minAccuracy: '0.9', layers: '[1]' }).problems;
  expect(typed).toEqual([
    { param: 'epochs', message: 'must be int, got 2.5' },
    { param: 'mode', message: 'must be one of "fast", "full", got "slow"' },
  ]);
  expect(
    readParamValues(fields, { ...values, minAccuracy: '0.9', layers: '[1]', epochs: '', mode: '"fast"' }).problems,
  ).toEqual([{ param: 'epochs', message: 'required (int) and has no default' }]);
});
