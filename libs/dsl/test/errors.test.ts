/** Mistakes TypeScript cannot see throw at once, naming the task and input. */
import {
  after,
  artifact,
  CompileError,
  collected,
  component,
  compile,
  DslError,
  exitHandler,
  finalStatus,
  oneOf,
  param,
  parallelFor,
  pipeline,
  python,
  when,
} from '../src';

const step = component({
  name: 'step',
  image: 'alpine:3.20',
  inputs: {
    n: param.int({ default: 0 }),
    s: param.string({ optional: true }),
    status: param.object({ optional: true }),
    e: param.string({ enum: ['a', 'b'], default: 'a' }),
  },
  outputs: { out: param.int(), model: artifact.model() },
  command: ({ inputs }) => ['step', inputs.n],
});

function errorOf(fn: () => unknown): DslError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DslError) return err;
    throw err;
  }
  throw new Error('expected a DslError');
}

describe('eager DSL errors', () => {
  test('a loop item used outside its loop names the task and input', () => {
    const err = errorOf(() =>
      pipeline({ name: 'p' }, () => {
        let leaked!: Parameters<typeof step>[0];
        parallelFor(['x'], (item) => {
          leaked = { s: item };
        });
        step(leaked);
      }),
    );
    expect(err.message).toMatch(/task 'step' input 's': the item of parallelFor 'for-loop-1' is used outside its loop/);
    expect([err.task, err.input]).toEqual(['step', 's']);
  });

  test('a loop task output used outside the loop without collected()', () => {
    expect(() =>
      pipeline({ name: 'p' }, () => {
        let t!: ReturnType<typeof step>;
        parallelFor([1], () => {
          t = step();
        });
        step({ n: t.outputs.out });
      }),
    ).toThrow(
      /task 'step-2' input 'n': task 'step' is inside parallelFor 'for-loop-1'; outside the loop use collected/,
    );
  });

  test('a branch task output used after the when() without oneOf()', () => {
    expect(() =>
      pipeline({ name: 'p' }, () => {
        let t!: ReturnType<typeof step>;
        when(step().outputs.out.gt(1), () => {
          t = step();
        });
        step({ n: t.outputs.out });
      }),
    ).toThrow(/task 'step-3' input 'n': task 'step-2' is inside a branch of condition 'condition-1'.*oneOf/);
  });

  test('oneOf over a single branch', () => {
    expect(() =>
      pipeline({ name: 'p' }, () => {
        let a!: ReturnType<typeof step>;
        let b!: ReturnType<typeof step>;
        when(step().outputs.out.gt(1), () => {
          a = step();
          b = step();
        });
        oneOf(a.outputs.out, b.outputs.out);
      }),
    ).toThrow(/oneOf\(\): two sources come from branch 1 of condition 'condition-1'/);
    expect(() =>
      pipeline({ name: 'p' }, () => {
        const a = step();
        oneOf(a.outputs.out, a.outputs.out);
      }),
    ).toThrow(/not directly inside a when\(\) branch/);
  });

  test('collected() inside its own loop', () => {
    expect(() =>
      pipeline({ name: 'p' }, () => {
        parallelFor([1], () => {
          collected(step().outputs.out);
        });
      }),
    ).toThrow(/collected\(\): used inside the loop of task 'step'/);
  });

  test('collected() of an artifact two loops deep', () => {
    expect(() =>
      pipeline({ name: 'p' }, () => {
        let t!: ReturnType<typeof step>;
        parallelFor([1], () => {
          parallelFor([2], () => {
            t = step();
          });
        });
        collected(t.outputs.model);
      }),
    ).toThrow(/artifact output 'model' of task 'step' is 2 loops deep from here/);
  });

  test('collected() of a task inside an exit handler within the loop', () => {
    expect(() =>
      pipeline({ name: 'p' }, () => {
        let t!: ReturnType<typeof step>;
        parallelFor([1], () => {
          exitHandler(
            () => step({ status: finalStatus() }),
            () => {
              t = step();
            },
          );
        });
        collected(t.outputs.out);
      }),
    ).toThrow(/task 'step' is inside exit handler 'exit-handler-1' within parallelFor 'for-loop-1'/);
  });

  test('.after() of the group a task sits in', () => {
    expect(() =>
      pipeline({ name: 'p' }, () => {
        const chain = when(step().outputs.out.eq(1), () => {
          step();
        });
        chain.otherwise(() => {
          step().after(chain);
        });
      }),
    ).toThrow(/task 'step-3' is inside condition 'condition-1', so it cannot run after it/);
    expect(() =>
      pipeline({ name: 'p' }, () => {
        let inner!: ReturnType<typeof step>;
        const chain = when(step().outputs.out.eq(1), () => {
          inner = step();
        });
        after(chain, inner);
      }),
    ).toThrow(/task 'step-2' is inside condition 'condition-1', so condition 'condition-1' cannot run after it/);
  });

  test('finalStatus() outside an exit handler', () => {
    expect(() =>
      pipeline({ name: 'p' }, () => {
        step({ status: finalStatus() });
      }),
    ).toThrow(/task 'step' input 'status': finalStatus\(\) can only be bound by the exit task/);
  });

  test('exit handlers need a body and an exit task', () => {
    expect(() =>
      pipeline({ name: 'p' }, () =>
        exitHandler(
          () => step(),
          () => undefined,
        ),
      ),
    ).toThrow(/the body adds no tasks/);
  });

  test('bad settings name the task', () => {
    expect(() => pipeline({ name: 'p' }, () => step().timeout('ten minutes' as '1h'))).toThrow(
      /task 'step' .timeout\(\): 'ten minutes' is not a duration/,
    );
    expect(() => pipeline({ name: 'p' }, () => step().resources({ memory: '4GB' }))).toThrow(
      /task 'step' .resources\(\) memory: '4GB' is not a Kubernetes quantity/,
    );
    // KFP's set_accelerator_type names a resource; a GPU model is a node selector only when asked for.
    expect(() => pipeline({ name: 'p' }, () => step().resources({ accelerator: 'nvidia-tesla-t4' }))).toThrow(
      /accelerator "nvidia-tesla-t4" is not an extended resource name like "nvidia.com\/gpu".*acceleratorNodeSelector/,
    );
    expect(() => pipeline({ name: 'p' }, () => step().retry({ maxAttempts: 0 }))).toThrow(
      /task 'step' .retry\(\): maxAttempts must be/,
    );
    expect(() => pipeline({ name: 'p' }, () => step().env({ 'BAD-NAME': 'x' }))).toThrow(
      /'BAD-NAME' is not an environment variable name/,
    );
    expect(() => pipeline({ name: 'p' }, () => step().volume({ name: 'v', mountPath: '/v' }))).toThrow(
      /give exactly one of pvc or emptyDir/,
    );
  });

  test('literal values are checked against the input definition', () => {
    expect(() => pipeline({ name: 'p' }, () => step({ n: 1.5 }))).toThrow(
      /task 'step' input 'n': expected a int, got the non-integer 1.5/,
    );
    expect(() => pipeline({ name: 'p' }, () => step({ e: 'c' as 'a' }))).toThrow(
      /input 'e': "c" is not one of "a", "b"/,
    );
  });

  test('components are called inside a pipeline body only', () => {
    expect(() => step()).toThrow(/component 'step' must be called inside a pipeline body/);
  });

  test('names must be DNS labels', () => {
    expect(() => component({ name: 'Bad_Name', image: 'x', command: ['x'] })).toThrow(
      /component name "Bad_Name" must be lowercase/,
    );
  });

  test('python functions must take every input and output artifact', () => {
    expect(() =>
      python({
        name: 'py',
        inputs: { a: param.int() },
        outputs: { m: artifact.model() },
        source: 'def f(a):\n    pass\n',
      }),
    ).toThrow(/f\(\) does not take 'm'/);
    expect(() => python({ name: 'py', source: 'def f():\n    pass\ndef g():\n    pass\n' })).toThrow(
      /say which one to call with entrypoint/,
    );
  });

  test('python parameters may be the snake_case form of camelCase inputs, as the shim maps them', () => {
    expect(() =>
      python({
        name: 'py',
        inputs: { minAccuracy: param.float() },
        outputs: { bestModel: artifact.model() },
        source: 'def f(min_accuracy, best_model):\n    pass\n',
      }),
    ).not.toThrow();
    expect(() =>
      python({ name: 'py', inputs: { minAccuracy: param.float() }, source: 'def f(minaccuracy):\n    pass\n' }),
    ).toThrow(/f\(\) does not take 'minAccuracy'/);
  });

  test('elseWhen on a used chain, after otherwise', () => {
    expect(() =>
      pipeline({ name: 'p' }, () => {
        const c = when(step().outputs.out.gt(1), () => step());
        c.otherwise(() => step()).elseWhen(step().outputs.out.gt(2), () => step());
      }),
    ).toThrow(/the chain already ended with otherwise\(\)/);
  });
});

describe('compile errors', () => {
  test('artifact parameters only work for sub-pipelines', () => {
    const p = pipeline({ name: 'p', params: { data: artifact.dataset() } }, () => undefined);
    expect(() => compile(p)).toThrow(CompileError);
    expect(() => compile(p)).toThrow(/\$\.params\.data: parameter 'data' is an artifact/);
  });
});
