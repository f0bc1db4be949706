import { WorkLayout, resolveCommand, LaunchError } from '../src';
import { artifact, container, param, request } from './helpers';

const layout = new WorkLayout('/w');
const component = container(['x'], {
  inputs: {
    s: param('string'),
    n: param('int'),
    f: param('float'),
    b: param('bool'),
    l: param('list'),
    o: param('object'),
    opt: param('string', { optional: true }),
    withDefault: param('int', { default: 7 }),
    data: artifact('dataset'),
    many: artifact('dataset', { list: true }),
    maybe: artifact('model', { optional: true }),
  },
  outputs: { model: artifact('model'), decision: param('string') },
});
const req = request(component, {
  inputs: {
    params: { s: 'a b', n: 3, f: 0.5, b: true, l: [1, 'x'], o: { k: 1 } },
    artifacts: {
      data: { uri: 'file:///s/data.csv', type: 'dataset', metadata: { rows: 2 } },
      many: [
        { uri: 'file:///s/a', type: 'dataset', metadata: {} },
        { uri: 'file:///s/b', type: 'dataset', metadata: {} },
      ],
    },
  },
  outputs: { params: { decision: 'string' }, artifacts: { model: { uri: 'file:///s/out/model.pkl', type: 'model' } } },
});
const ctx = {
  request: req,
  layout,
  localInputs: { data: '/w/inputs/data/data.csv', many: ['/w/inputs/many/0/a', '/w/inputs/many/1/b'] },
};
const resolve = (...args: Parameters<typeof resolveCommand>[0]) => resolveCommand(args, ctx).argv;

describe('placeholders', () => {
  test.each([
    ['s', 'a b'],
    ['n', '3'],
    ['f', '0.5'],
    ['b', 'true'],
    ['l', '[1,"x"]'],
    ['o', '{"k":1}'],
    ['withDefault', '7'],
  ])('inputValue of %s: strings raw, everything else as JSON', (input, expected) => {
    expect(resolve({ kind: 'inputValue', input })).toEqual([expected]);
  });

  test('inputPath of an artifact is its local copy; of a list, a JSON list of copies', () => {
    expect(resolve({ kind: 'inputPath', input: 'data' })).toEqual(['/w/inputs/data/data.csv']);
    expect(resolve({ kind: 'inputPath', input: 'many' })).toEqual(['["/w/inputs/many/0/a","/w/inputs/many/1/b"]']);
  });

  test('inputPath of a parameter is a file holding its value', () => {
    const { argv, paramFiles } = resolveCommand([{ kind: 'inputPath', input: 'l' }], ctx);
    expect(argv).toEqual(['/w/inputs/_params/l']);
    expect(paramFiles.get('/w/inputs/_params/l')).toBe('[1,"x"]');
  });

  test('inputUri and inputMetadata', () => {
    expect(resolve({ kind: 'inputUri', input: 'data' })).toEqual(['file:///s/data.csv']);
    expect(resolve({ kind: 'inputUri', input: 'many' })).toEqual(['["file:///s/a","file:///s/b"]']);
    expect(resolve({ kind: 'inputMetadata', input: 'data' })).toEqual(['{"rows":2}']);
  });

  test('outputPath, outputUri and outputMetadata', () => {
    expect(resolve({ kind: 'outputPath', output: 'model' })).toEqual(['/w/outputs/model/model.pkl']);
    expect(resolve({ kind: 'outputPath', output: 'decision' })).toEqual(['/w/outputs/_params/decision']);
    expect(resolve({ kind: 'outputUri', output: 'model' })).toEqual(['file:///s/out/model.pkl']);
    expect(resolve({ kind: 'outputMetadata', output: 'model' })).toEqual(['/w/outputs/_metadata/model.json']);
  });

  test('concat joins its items into one argument', () => {
    expect(
      resolve({
        kind: 'concat',
        items: ['--n=', { kind: 'inputValue', input: 'n' }, ',', { kind: 'inputValue', input: 's' }],
      }),
    ).toEqual(['--n=3,a b']);
  });

  test('ifPresent expands `then` for a given input and `else` (or nothing) for an absent one', () => {
    const flag = (input: string) => ({
      kind: 'ifPresent' as const,
      input,
      then: ['--x', { kind: 'inputValue' as const, input: 's' }],
      else: ['--none'],
    });
    expect(resolve(flag('s'))).toEqual(['--x', 'a b']);
    expect(resolve(flag('opt'))).toEqual(['--none']);
    expect(
      resolve({ kind: 'ifPresent', input: 'maybe', then: ['--m', { kind: 'inputPath', input: 'maybe' }] }),
    ).toEqual([]);
    expect(
      resolve('a', { kind: 'ifPresent', input: 'data', then: [{ kind: 'inputUri', input: 'data' }] }, 'b'),
    ).toEqual(['a', 'file:///s/data.csv', 'b']);
  });

  test.each([
    [{ kind: 'inputValue', input: 'nope' }, /does not declare/],
    [{ kind: 'inputValue', input: 'data' }, /is an artifact/],
    [{ kind: 'inputValue', input: 'opt' }, /no value and no default/],
    [{ kind: 'inputPath', input: 'maybe' }, /was not provided/],
    [{ kind: 'inputUri', input: 's' }, /is a parameter/],
    [{ kind: 'outputUri', output: 'decision' }, /is a parameter/],
    [{ kind: 'outputPath', output: 'ghost' }, /does not declare/],
  ] as const)('a placeholder that cannot resolve is a configuration error: %j', (arg, message) => {
    let error: unknown;
    try {
      resolve(arg);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LaunchError);
    expect(error).toMatchObject({ failureType: 'configuration', retryable: false });
    expect((error as Error).message).toMatch(message);
  });
});

describe('identity placeholders', () => {
  const identity = { runId: 'run-1', pipelineName: 'training', taskId: 'train', iteration: [2, 0], attempt: 3 };
  const withIdentity = { ...ctx, request: { ...req, identity } };

  test('resolve to the run id, pipeline name, task id, iteration and attempt of the step', () => {
    const argv = resolveCommand(
      [
        { kind: 'runId' },
        { kind: 'pipelineName' },
        { kind: 'taskId' },
        { kind: 'iteration' },
        { kind: 'attempt' },
        { kind: 'concat', items: [{ kind: 'taskId' }, '-', { kind: 'attempt' }] },
      ],
      withIdentity,
    ).argv;
    expect(argv).toEqual(['run-1', 'training', 'train', '2.0', '3', 'train-3']);
  });

  test('iteration is empty outside loops', () => {
    expect(
      resolveCommand([{ kind: 'iteration' }], { ...ctx, request: { ...req, identity: { ...identity, iteration: [] } } })
        .argv,
    ).toEqual(['']);
  });

  test('without an identity in the request they are a configuration error, not a silent blank', () => {
    expect(() => resolve({ kind: 'runId' })).toThrow(LaunchError);
  });
});
