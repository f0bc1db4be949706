/**
 * Type tests: miswiring must not compile. Each `@ts-expect-error` line is
 * checked by `nx run dsl:typecheck` (it fails if the line stops being an
 * error); the runtime part checks the DSL rejects the same calls too.
 */
import { expectTypeOf } from 'expect-type';
import {
  artifact,
  ArtifactListRef,
  ArtifactRef,
  collected,
  compile,
  component,
  finalStatus,
  type FinalStatus,
  param,
  ParamRef,
  parallelFor,
  pipeline,
  type Task,
  when,
} from '../src';

const makeModel = component({
  name: 'make-model',
  image: 'alpine:3.20',
  outputs: { model: artifact.model(), accuracy: param.float(), label: param.string(), n: param.int() },
  command: ({ outputs }) => ['x', outputs.model.path],
});
const useData = component({
  name: 'use-data',
  image: 'alpine:3.20',
  inputs: { data: artifact.dataset(), count: param.int(), ratio: param.float({ default: 0.5 }) },
  command: ({ inputs }) => ['x', inputs.data.path, inputs.count, inputs.ratio],
});
const makeData = component({
  name: 'make-data',
  image: 'alpine:3.20',
  outputs: { model: artifact.dataset(), accuracy: param.float(), n: param.int() },
  command: ({ outputs }) => ['x', outputs.model.path],
});
const useAny = component({
  name: 'use-any',
  image: 'alpine:3.20',
  inputs: { any: artifact.artifact(), models: artifact.list(artifact.model(), { optional: true }) },
  command: ['x'],
});

describe('type inference', () => {
  test('task outputs are typed references', () => {
    pipeline({ name: 'types' }, () => {
      const t = makeModel();
      expectTypeOf(t).toEqualTypeOf<
        Task<{
          readonly model: ArtifactRef<'model'>;
          readonly accuracy: ParamRef<'float', number>;
          readonly label: ParamRef<'string', string>;
          readonly n: ParamRef<'int', number>;
        }>
      >();
      expectTypeOf(t.outputs.model).toEqualTypeOf<ArtifactRef<'model'>>();
      expectTypeOf(t.outputs.accuracy).toEqualTypeOf<ParamRef<'float', number>>();
    });
  });

  test('pipeline params are inferred from their definitions', () => {
    pipeline(
      {
        name: 'params',
        params: {
          s: param.string(),
          e: param.string({ enum: ['a', 'b'] }),
          l: param.list({ default: [1, 2] }),
          o: param.object(),
        },
      },
      (p) => {
        expectTypeOf(p.s).toEqualTypeOf<ParamRef<'string', string>>();
        expectTypeOf(p.e).toEqualTypeOf<ParamRef<'string', 'a' | 'b'>>();
        expectTypeOf(p.l).toEqualTypeOf<ParamRef<'list', number[]>>();
        expectTypeOf(p.o).toEqualTypeOf<ParamRef<'object', Record<string, unknown>>>();
      },
    );
  });

  test('loop items are typed, object fields too', () => {
    pipeline({ name: 'items' }, () => {
      parallelFor([{ lr: 0.1, name: 'a' }], (item) => {
        expectTypeOf(item.lr).toEqualTypeOf<ParamRef<'number', number>>();
        expectTypeOf(item.name).toEqualTypeOf<ParamRef<'string', string>>();
      });
    });
  });

  test('typed list parameters type their loop items without casts, and record the element type in the IR', () => {
    const typed = pipeline(
      {
        name: 'typed-lists',
        params: {
          folds: param.list(param.object<{ lr: number; name: string }>()),
          tags: param.list(param.string(), { default: ['a'] }),
        },
      },
      (p) => {
        expectTypeOf(p.folds).toEqualTypeOf<ParamRef<'list', { lr: number; name: string }[]>>();
        expectTypeOf(p.tags).toEqualTypeOf<ParamRef<'list', string[]>>();
        parallelFor(p.folds, (fold) => {
          expectTypeOf(fold.lr).toEqualTypeOf<ParamRef<'number', number>>();
          expectTypeOf(fold.name).toEqualTypeOf<ParamRef<'string', string>>();
        });
        parallelFor(p.tags, (tag) => {
          expectTypeOf(tag).toEqualTypeOf<ParamRef<'string', string>>();
        });
      },
    );
    const spec = compile(typed);
    expect(spec.params['folds']).toEqual({ kind: 'param', type: 'list', items: { type: 'object' } });
    expect(spec.params['tags']).toEqual({ kind: 'param', type: 'list', items: { type: 'string' }, default: ['a'] });
  });

  test('parallelFor over a list of artifacts gives one artifact per iteration', () => {
    const spec = compile(
      pipeline({ name: 'artifact-items' }, () => {
        let t!: ReturnType<typeof makeModel>;
        parallelFor([1, 2], () => {
          t = makeModel();
        });
        parallelFor(collected(t.outputs.model), (model) => {
          expectTypeOf(model).toEqualTypeOf<ArtifactRef<'model'>>();
          useAny({ any: model, models: collected(t.outputs.model) });
        });
      }),
    );
    expect(spec.root.tasks['for-loop-2']).toMatchObject({
      items: { kind: 'collected', loop: 'for-loop-1', task: 'make-model', output: 'model' },
      dependsOn: ['for-loop-1'],
    });
  });

  test('collected and loop outputs are lists', () => {
    pipeline({ name: 'collect' }, () => {
      let t!: ReturnType<typeof makeModel>;
      const loop = parallelFor([1, 2], () => {
        t = makeModel();
        return { acc: t.outputs.accuracy };
      });
      expectTypeOf(collected(t.outputs.model)).toEqualTypeOf<ArtifactListRef<'model'>>();
      expectTypeOf(loop.outputs.acc).toEqualTypeOf<ParamRef<'list', number[]>>();
      useAny({ any: makeModel().outputs.model, models: collected(t.outputs.model) });
    });
  });

  test('finalStatus is an object parameter typed FinalStatus', () => {
    expectTypeOf(finalStatus).returns.toEqualTypeOf<ParamRef<'object', FinalStatus>>();
  });

  test('when() chain outputs keep the branch types', () => {
    pipeline({ name: 'chain' }, () => {
      const chain = when(makeModel().outputs.n.gt(1), () => ({ m: makeModel().outputs.model })).otherwise(() => ({
        m: makeModel().outputs.model,
      }));
      expectTypeOf(chain.outputs.m).toEqualTypeOf<ArtifactRef<'model'>>();
    });
  });
});

describe('miswiring is a TypeScript error (and a DslError at run time)', () => {
  test('a model into a dataset input', () => {
    expect(() =>
      pipeline({ name: 'bad-1' }, () => {
        const m = makeModel();
        // @ts-expect-error a model artifact is not a dataset
        useData({ data: m.outputs.model, count: 1 });
      }),
    ).toThrow(/task 'use-data' input 'data': expected a dataset artifact, got a model artifact/);
  });

  test('a string parameter into an int input', () => {
    expect(() =>
      pipeline({ name: 'bad-2', params: { s: param.string() } }, (p) => {
        const m = makeData();
        // @ts-expect-error a string is not an int
        useData({ data: m.outputs.model, count: p.s });
      }),
    ).toThrow(/input 'count': expected a int parameter, got a string parameter/);
  });

  test('a float into an int input, and a literal of the wrong type', () => {
    expect(() =>
      pipeline({ name: 'bad-3' }, () => {
        const m = makeData();
        // @ts-expect-error a float is not an int
        useData({ data: m.outputs.model, count: m.outputs.accuracy });
      }),
    ).toThrow(/input 'count'/);
    expect(() =>
      pipeline({ name: 'bad-4' }, () => {
        const m = makeData();
        // @ts-expect-error 'three' is not a number
        useData({ data: m.outputs.model, count: 'three' });
      }),
    ).toThrow(/input 'count': expected a int, got string "three"/);
  });

  test('an int fits a float input', () => {
    pipeline({ name: 'ok-int-float' }, () => {
      const m = makeData();
      useData({ data: m.outputs.model, count: m.outputs.n, ratio: m.outputs.n });
    });
  });

  test('a forgotten required input', () => {
    expect(() =>
      pipeline({ name: 'bad-5' }, () => {
        const m = makeData();
        // @ts-expect-error count is required
        useData({ data: m.outputs.model });
      }),
    ).toThrow(/task 'use-data': missing required input 'count' \(int parameter\)/);
  });

  test('an unknown input', () => {
    expect(() =>
      pipeline({ name: 'bad-6' }, () => {
        // @ts-expect-error there is no input 'modle'
        useAny({ any: makeModel().outputs.model, modle: 1 });
      }),
    ).toThrow(/input 'modle': component 'use-any' has no such input/);
  });

  test('a single artifact into a list input, a parameter into an artifact input', () => {
    pipeline({ name: 'bad-7' }, () => {
      const m = makeModel();
      // @ts-expect-error a single model is not a list of models
      expect(() => useAny({ any: m.outputs.model, models: m.outputs.model })).toThrow(/list of model artifacts/);
      // @ts-expect-error a parameter is not an artifact
      expect(() => useAny({ any: m.outputs.label })).toThrow(/expected a artifact artifact, got a string parameter/);
    });
  });

  test('artifact inputs need .path/.uri/.metadata in a command', () => {
    expect(() =>
      component({
        name: 'bad-command',
        image: 'alpine:3.20',
        inputs: { data: artifact.dataset() },
        // @ts-expect-error an artifact input is not a command-line element
        command: ({ inputs }) => ['x', inputs.data],
      }),
    ).toThrow(/artifact input 'data' must say which placeholder it wants/);
  });

  test('comparing with a value of another type', () => {
    pipeline({ name: 'bad-8' }, () => {
      const m = makeModel();
      // @ts-expect-error accuracy is a number
      m.outputs.accuracy.ge('high');
    });
  });
});
