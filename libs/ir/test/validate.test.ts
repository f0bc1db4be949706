import {
  IR_ERROR_CODES,
  validateSpec,
  type Binding,
  type Component,
  type IrError,
  type IrErrorCode,
  type Node,
  type PipelineSpec,
} from '../src';
import { constant, dag, out, param, raw, spec, task } from './support/build';

function errorsOf(input: unknown): IrError[] {
  const result = validateSpec(input);
  return result.ok ? [] : result.errors;
}

/** Asserts exactly one error, with this code at this path, and returns it. */
function expectOnly(input: unknown, code: IrErrorCode, path: string): IrError {
  const errors = errorsOf(input);
  expect(errors.map((e) => [e.code, e.path])).toEqual([[code, path]]);
  return errors[0] as IrError;
}

const covered = new Set<IrErrorCode>(['syntax']); // syntax: parse.test.ts
function codeTest(code: IrErrorCode, name: string, fn: () => void): void {
  covered.add(code);
  test(`${code}: ${name}`, fn);
}

describe('input limits', () => {
  codeTest('input-limit', 'a spec nested deeper than maxDepth is refused before the schema, naming the path', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 50_000; i++) deep = [deep];
    const s = { ...spec(), pipeline: { name: 'deep', description: deep } };
    const error = expectOnly(s, 'input-limit', '$.pipeline.description' + '[0]'.repeat(126));
    expect(error.message).toContain('the limit on nesting depth is 128');
    expect(validateSpec(s, { limits: { maxDepth: 8 } })).toMatchObject({
      ok: false,
      errors: [{ code: 'input-limit', path: '$.pipeline.description[0][0][0][0][0][0]' }],
    });
  });
});

describe('valid specs', () => {
  test('the base spec is valid', () => {
    expect(validateSpec(spec())).toEqual({ ok: true, spec: spec() });
  });

  test("a container speaking KFP's executor protocol, with its KFP types, is valid at schemaVersion 1.1", () => {
    const s = { ...spec(), schemaVersion: '1.1' };
    s.components['make'] = {
      ...(s.components['make'] as Component),
      implementation: {
        type: 'container',
        image: 'python:3.11',
        command: ['sh', '-c', 'pip install kfp && "$0" "$@"', 'python3', '-m', 'kfp.dsl.executor_main'],
        args: ['--executor_input', { kind: 'executorInput' }, '--out', { kind: 'executorOutputFile' }],
        kfp: {
          inputs: { seed: { parameterType: 'NUMBER_INTEGER' } },
          outputs: {
            data: { schemaTitle: 'system.Dataset', schemaVersion: '0.0.1' },
            count: { parameterType: 'NUMBER_INTEGER' },
          },
          pythonBootstrap: { commandPrefix: 3, pipInstalls: [['--quiet', 'kfp==2.17.3', '--no-deps']], venv: false },
        },
      },
    };
    expect(errorsOf(s)).toEqual([]);
  });

  test('a pipeline using every binding kind and group type in its right place is valid', () => {
    const s = spec({
      fan: {
        type: 'loop',
        dependsOn: [],
        items: { kind: 'constant', value: [1, 2, 3] },
        parallelism: 2,
        body: dag({
          m: task('make', { seed: { kind: 'loopItem', loop: 'fan' } }),
          t: task('train', { data: out('m', 'data'), rate: out('train', 'score') }),
        }),
      },
      all: task('gather', { models: { kind: 'collected', loop: 'fan', task: 't', output: 'model' } }),
      pick: {
        type: 'condition',
        dependsOn: [],
        branches: [
          {
            when: { op: 'gt', left: out('train', 'score'), right: constant(0.9) },
            dag: dag({ hi: task('echo', { text: constant('hi') }) }),
          },
          { dag: dag({ lo: task('echo', { text: param('greeting') }) }) },
        ],
      },
      said: task('echo', {
        text: {
          kind: 'oneOf',
          condition: 'pick',
          sources: [
            { kind: 'output', task: 'hi', output: 'out' },
            { kind: 'output', task: 'lo', output: 'out' },
          ],
        },
      }),
      guard: {
        type: 'exitHandler',
        dependsOn: ['said'],
        body: dag({ work: task('echo', { text: constant('x') }) }),
        exit: dag({ tell: task('notify', { status: { kind: 'finalStatus' } }) }),
      },
    });
    s.outputs = {
      model: out('train', 'model'),
      models: { kind: 'collected', loop: 'fan', task: 't', output: 'model' },
    };
    expect(errorsOf(s)).toEqual([]);
  });

  test('an int value fits a float input, and any artifact fits a generic artifact input', () => {
    const s = spec({ t2: task('train', { data: out('make', 'data'), rate: out('make', 'count') }) });
    s.components['any'] = {
      name: 'any',
      inputs: { a: { kind: 'artifact', type: 'artifact' } },
      outputs: {},
      implementation: { type: 'container', image: 'x', command: ['x'] },
    };
    s.root.tasks['anything'] = task('any', { a: out('train', 'model') });
    expect(errorsOf(s)).toEqual([]);
  });

  test("a sub-pipeline component is its own scope: its task ids may repeat the pipeline's", () => {
    const s = spec({ sub: task('inner', { seed: constant(3) }), after: task('train', { data: out('sub', 'data') }) });
    s.components['inner'] = {
      name: 'inner',
      inputs: { seed: { kind: 'param', type: 'int' } },
      outputs: { data: { kind: 'artifact', type: 'dataset' } },
      implementation: {
        type: 'dag',
        dag: dag({ make: task('make', { seed: param('seed') }) }),
        outputs: { data: out('make', 'data') },
      },
    };
    expect(errorsOf(s)).toEqual([]);
  });
});

describe('error codes', () => {
  codeTest('schema', 'unknown fields are errors (schemas are strict), each with its own path', () => {
    const s = raw(spec());
    (s['root'] as { tasks: { train: Record<string, unknown> } }).tasks.train['retries'] = 3;
    s['extra'] = true;
    const errors = errorsOf(s);
    expect(errors.map((e) => [e.code, e.path, e.message]).sort()).toEqual([
      ['schema', '$.extra', 'unknown field "extra"'],
      ['schema', '$.root.tasks.train.retries', 'unknown field "retries"'],
    ]);
  });

  codeTest('schema', 'a wrong type deep in a union reports the branch the author meant', () => {
    const s = raw(spec());
    const train = (s['root'] as { tasks: { train: { settings: Record<string, unknown> } } }).tasks.train;
    train.settings['retry'] = 1;
    const e = expectOnly(s, 'schema', '$.root.tasks.train.settings.retry');
    expect(e.message).toMatch(/expected object/);
  });

  codeTest('schema', 'an unknown node type names the allowed types', () => {
    const s = raw(spec());
    (s['root'] as { tasks: Record<string, unknown> }).tasks['odd'] = { type: 'bogus' };
    const e = expectOnly(s, 'schema', '$.root.tasks.odd.type');
    expect(e.message).toBe('must be one of "task", "condition", "loop", "exitHandler"');
  });

  codeTest('schema', 'a missing required field says so', () => {
    const s = raw(spec());
    delete s['root'];
    expect(expectOnly(s, 'schema', '$.root').message).toMatch(/required field is missing/);
  });

  codeTest('schema', 'a __proto__ key is refused rather than silently dropped', () => {
    const s = JSON.parse(
      JSON.stringify(spec()).replace(
        '"inputs":{"data":{"kind":"output"',
        '"inputs":{"__proto__":{"kind":"constant","value":1},"data":{"kind":"output"',
      ),
    );
    expectOnly(s, 'schema', '$.root.tasks.train.inputs.__proto__');
  });

  codeTest('unsupported-version', 'a newer minor is refused, naming the version this Kiln reads', () => {
    const e = expectOnly({ ...spec(), schemaVersion: '1.2', futureField: 1 }, 'unsupported-version', '$.schemaVersion');
    expect(e.message).toContain('this Kiln reads 1.1');
  });

  codeTest('unsupported-version', 'a newer major is refused', () => {
    expectOnly({ ...spec(), schemaVersion: '2.0' }, 'unsupported-version', '$.schemaVersion');
  });

  codeTest('duplicate-task-id', 'ids are unique across nested DAGs', () => {
    const s = spec({ loop: { type: 'loop', dependsOn: [], items: constant(null), body: dag({ make: task('make') }) } });
    s.root.tasks['loop'] = {
      type: 'loop',
      dependsOn: [],
      items: { kind: 'constant', value: [1] },
      body: dag({ make: task('make') }),
    };
    const e = expectOnly(s, 'duplicate-task-id', '$.root.tasks.loop.body.tasks.make');
    expect(e.message).toContain('$.root.tasks.make');
  });

  codeTest('unknown-component', 'a task names a component that is not defined', () => {
    expectOnly(spec({ x: task('nope') }), 'unknown-component', '$.root.tasks.x.component');
  });

  codeTest('component-cycle', 'a sub-pipeline that uses itself', () => {
    const s = spec();
    s.components['loopy'] = {
      name: 'loopy',
      inputs: {},
      outputs: {},
      implementation: { type: 'dag', dag: dag({ again: task('loopy') }), outputs: {} },
    };
    expectOnly(s, 'component-cycle', '$.components.loopy.implementation.dag');
  });

  codeTest('unknown-input', 'a binding for an input the component does not declare', () => {
    const e = expectOnly(
      spec({ x: task('echo', { text: constant('a'), txt: constant('b') }) }),
      'unknown-input',
      '$.root.tasks.x.inputs.txt',
    );
    expect(e.message).toContain('its inputs are: text');
  });

  codeTest('missing-input', 'a required input with no binding and no default', () => {
    const e = expectOnly(spec({ x: task('echo') }), 'missing-input', '$.root.tasks.x.inputs');
    expect(e.message).toContain('"text"');
  });

  codeTest('unknown-param', 'a param binding to a parameter the pipeline lacks', () => {
    expectOnly(
      spec({ x: task('echo', { text: param('greting') }) }),
      'unknown-param',
      '$.root.tasks.x.inputs.text.name',
    );
  });

  codeTest('dangling-reference', 'an output binding to a task that does not exist', () => {
    expectOnly(
      spec({ x: task('train', { data: out('mkae', 'data') }) }),
      'dangling-reference',
      '$.root.tasks.x.inputs.data.task',
    );
  });

  codeTest('dangling-reference', "an output binding into a sibling group's DAG, with a hint", () => {
    const s = spec({
      fan: { type: 'loop', dependsOn: [], items: { kind: 'constant', value: [1] }, body: dag({ m: task('make') }) },
      x: task('train', { data: out('m', 'data') }),
    });
    const e = expectOnly(s, 'dangling-reference', '$.root.tasks.x.inputs.data.task');
    expect(e.message).toMatch(/inside loop "fan".*collected/);
  });

  codeTest('dangling-reference', 'pipeline outputs are checked too', () => {
    expectOnly(spec({}, { outputs: { model: out('nobody', 'model') } }), 'dangling-reference', '$.outputs.model.task');
  });

  codeTest('unknown-output', 'the task exists but has no such output', () => {
    const e = expectOnly(
      spec({ x: task('train', { data: out('make', 'dataset') }) }),
      'unknown-output',
      '$.root.tasks.x.inputs.data.output',
    );
    expect(e.message).toContain('its outputs are: data, count');
  });

  codeTest('missing-output', 'a sub-pipeline declares an output it does not bind', () => {
    const s = spec();
    s.components['inner'] = {
      name: 'inner',
      inputs: {},
      outputs: { data: { kind: 'artifact', type: 'dataset' } },
      implementation: { type: 'dag', dag: dag({ make: task('make') }), outputs: {} },
    };
    expectOnly(s, 'missing-output', '$.components.inner.implementation.outputs');
  });

  codeTest('type-mismatch', 'an artifact of the wrong type, naming task, input, expected and actual', () => {
    const e = expectOnly(
      spec({ x: task('train', { data: out('train', 'model') }) }),
      'type-mismatch',
      '$.root.tasks.x.inputs.data',
    );
    expect(e.message).toBe('task "x", input "data": expected dataset artifact, got model artifact');
  });

  codeTest(
    'type-mismatch',
    'a float into an int, a param into an artifact, a collected list into a single input',
    () => {
      const s = spec({
        a: task('make', { seed: out('train', 'score') }),
        b: task('train', { data: param('greeting') }),
        fan: {
          type: 'loop',
          dependsOn: [],
          items: { kind: 'constant', value: [1] },
          body: dag({ t: task('train', { data: out('make', 'data') }) }),
        },
        c: task('train', { data: { kind: 'collected', loop: 'fan', task: 't', output: 'model' } }),
      });
      expect(errorsOf(s).map((e) => [e.code, e.path])).toEqual([
        ['type-mismatch', '$.root.tasks.a.inputs.seed'],
        ['type-mismatch', '$.root.tasks.b.inputs.data'],
        ['type-mismatch', '$.root.tasks.c.inputs.data'],
      ]);
    },
  );

  codeTest('cycle', 'dependsOn and data dependencies together, naming the tasks', () => {
    const s = spec({ a: task('echo', { text: out('b', 'out') }), b: task('echo', { text: constant('x') }, ['a']) });
    const e = expectOnly(s, 'cycle', '$.root.tasks.a');
    expect(e.message).toContain('a → b → a');
  });

  codeTest('cycle', 'a data dependency from inside a group counts for the group', () => {
    const s = spec({
      fan: {
        type: 'loop',
        dependsOn: [],
        items: { kind: 'constant', value: [1] },
        body: dag({ e: task('echo', { text: out('after', 'out') }) }),
      },
      after: task('echo', { text: constant('x') }, ['fan']),
    });
    expect(expectOnly(s, 'cycle', '$.root.tasks.after').message).toContain('after → fan → after');
  });

  codeTest('dependency-not-sibling', 'dependsOn naming a task in another DAG', () => {
    const s = spec({
      fan: {
        type: 'loop',
        dependsOn: [],
        items: { kind: 'constant', value: [1] },
        body: dag({ e: task('echo', { text: constant('x') }, ['train']) }),
      },
    });
    expectOnly(s, 'dependency-not-sibling', '$.root.tasks.fan.body.tasks.e.dependsOn[0]');
  });

  codeTest('loop-item-outside-loop', 'loopItem naming a loop that does not enclose the task', () => {
    const s = spec({
      fan: { type: 'loop', dependsOn: [], items: { kind: 'constant', value: [1] }, body: dag({}) },
      x: task('make', { seed: { kind: 'loopItem', loop: 'fan' } }),
    });
    expectOnly(s, 'loop-item-outside-loop', '$.root.tasks.x.inputs.seed.loop');
  });

  codeTest('collected-outside', 'collected from inside the loop it names', () => {
    const s = spec({
      fan: {
        type: 'loop',
        dependsOn: [],
        items: { kind: 'constant', value: [1] },
        body: dag({
          t: task('train', { data: out('make', 'data') }),
          g: task('gather', { models: { kind: 'collected', loop: 'fan', task: 't', output: 'model' } }),
        }),
      },
    });
    expectOnly(s, 'collected-outside', '$.root.tasks.fan.body.tasks.g.inputs.models.loop');
  });

  codeTest('collected-outside', 'collected of a task that is not in the loop body', () => {
    const s = spec({
      fan: { type: 'loop', dependsOn: [], items: { kind: 'constant', value: [1] }, body: dag({}) },
      g: task('gather', { models: { kind: 'collected', loop: 'fan', task: 'train', output: 'model' } }),
    });
    expectOnly(s, 'collected-outside', '$.root.tasks.g.inputs.models.task');
  });

  codeTest('oneof-not-exclusive', 'two sources from the same branch', () => {
    const s = spec({
      pick: {
        type: 'condition',
        dependsOn: [],
        branches: [
          {
            when: { op: 'eq', left: param('greeting'), right: constant('hi') },
            dag: dag({ a: task('echo', { text: constant('a') }), b: task('echo', { text: constant('b') }) }),
          },
          { dag: dag({ c: task('echo', { text: constant('c') }) }) },
        ],
      },
      x: task('echo', {
        text: {
          kind: 'oneOf',
          condition: 'pick',
          sources: [
            { kind: 'output', task: 'a', output: 'out' },
            { kind: 'output', task: 'b', output: 'out' },
          ],
        },
      }),
    });
    expectOnly(s, 'oneof-not-exclusive', '$.root.tasks.x.inputs.text.sources[1].task');
  });

  codeTest('oneof-not-exclusive', 'a condition with a single branch', () => {
    const s = spec({
      pick: {
        type: 'condition',
        dependsOn: [],
        branches: [
          {
            when: { op: 'eq', left: param('greeting'), right: constant('hi') },
            dag: dag({ a: task('echo', { text: constant('a') }) }),
          },
        ],
      },
      x: task('echo', {
        text: {
          kind: 'oneOf',
          condition: 'pick',
          sources: [
            { kind: 'output', task: 'a', output: 'out' },
            { kind: 'output', task: 'a', output: 'out' },
          ],
        },
      }),
    });
    expect(errorsOf(s).map((e) => [e.code, e.path])).toEqual([
      ['oneof-not-exclusive', '$.root.tasks.x.inputs.text.condition'],
      ['oneof-not-exclusive', '$.root.tasks.x.inputs.text.sources[1].task'],
    ]);
  });

  codeTest('final-status-outside-exit', "finalStatus in an exit handler's body", () => {
    const s = spec({
      guard: {
        type: 'exitHandler',
        dependsOn: [],
        body: dag({ n: task('notify', { status: { kind: 'finalStatus' } }) }),
        exit: dag({}),
      },
    });
    expectOnly(s, 'final-status-outside-exit', '$.root.tasks.guard.body.tasks.n.inputs.status');
  });

  codeTest('otherwise-not-last', 'a branch without when before another branch', () => {
    const s = spec({
      pick: {
        type: 'condition',
        dependsOn: [],
        branches: [
          { dag: dag({}) },
          { when: { op: 'eq', left: param('greeting'), right: constant('hi') }, dag: dag({}) },
        ],
      },
    });
    expectOnly(s, 'otherwise-not-last', '$.root.tasks.pick.branches[0]');
  });

  codeTest('enum-violation', "a constant outside the input's enum", () => {
    const s = spec({ x: task('echo', { text: constant('maybe') }) });
    (s.components['echo'] as { inputs: Record<string, unknown> }).inputs['text'] = {
      kind: 'param',
      type: 'string',
      enum: ['yes', 'no'],
    };
    expectOnly(s, 'enum-violation', '$.root.tasks.x.inputs.text.value');
  });

  codeTest('default-type-mismatch', 'a parameter default of the wrong type', () => {
    const s = spec({}, { params: { n: { kind: 'param', type: 'int', default: 'ten' } } });
    expect(expectOnly(s, 'default-type-mismatch', '$.params.n.default').message).toContain('int');
  });

  codeTest('placeholder-unknown-input', 'a command placeholder naming an undeclared input', () => {
    const s = spec();
    (s.components['echo'] as { implementation: { command: unknown[] } }).implementation.command = [
      'echo',
      { kind: 'inputValue', input: 'txt' },
    ];
    s.root.tasks['x'] = task('echo', { text: constant('a') });
    expectOnly(s, 'placeholder-unknown-input', '$.components.echo.implementation.command[1].input');
  });

  codeTest('placeholder-unknown-output', 'a command placeholder naming an undeclared output', () => {
    const s = spec();
    (s.components['make'] as { implementation: { command: unknown[] } }).implementation.command = [
      'make',
      { kind: 'concat', items: ['--out=', { kind: 'outputPath', output: 'dta' }] },
    ];
    expectOnly(s, 'placeholder-unknown-output', '$.components.make.implementation.command[1].items[1].output');
  });

  codeTest('placeholder-kind-mismatch', 'inputPath of a parameter input', () => {
    const s = spec();
    (s.components['echo'] as { implementation: { command: unknown[] } }).implementation.command = [
      'cat',
      { kind: 'inputPath', input: 'text' },
    ];
    expectOnly(s, 'placeholder-kind-mismatch', '$.components.echo.implementation.command[1]');
  });

  codeTest('version-too-old', "KFP's executor protocol in a spec that says 1.0 (older Kilns could not read it)", () => {
    const s = spec();
    s.components['make'] = {
      ...(s.components['make'] as Component),
      implementation: { type: 'container', image: 'python:3.11', command: ['run', { kind: 'executorInput' }] },
    };
    const e = expectOnly(s, 'version-too-old', '$.components.make.implementation');
    expect(e.message).toContain('needs schemaVersion 1.1; the spec says 1.0');
    expect(errorsOf({ ...s, schemaVersion: '1.1' })).toEqual([]);
  });

  codeTest('kfp-interface-mismatch', "a KFP executor block that does not describe the component's interface", () => {
    const s = { ...spec(), schemaVersion: '1.1' };
    s.components['make'] = {
      ...(s.components['make'] as Component),
      implementation: {
        type: 'container',
        image: 'python:3.11',
        command: ['sh', '-c', 'pip install kfp && "$0" "$@"', 'python3', '-m', 'kfp.dsl.executor_main'],
        args: ['--executor_input', { kind: 'executorInput' }, '--function_to_execute', 'make'],
        kfp: {
          // seed is an int, data an artifact, count is missing, extra is unknown
          inputs: { seed: { parameterType: 'STRING' }, extra: { parameterType: 'BOOLEAN' } },
          outputs: { data: { parameterType: 'STRING' } },
          pythonBootstrap: { commandPrefix: 6, pipInstalls: [['kfp']], venv: false },
        },
      },
    };
    expect(errorsOf(s).map((e) => [e.code, e.path])).toEqual([
      ['kfp-interface-mismatch', '$.components.make.implementation.kfp.inputs.seed'],
      ['kfp-interface-mismatch', '$.components.make.implementation.kfp.inputs.extra'],
      ['kfp-interface-mismatch', '$.components.make.implementation.kfp.outputs.data'],
      ['kfp-interface-mismatch', '$.components.make.implementation.kfp.outputs'],
      ['kfp-interface-mismatch', '$.components.make.implementation.kfp.pythonBootstrap.commandPrefix'],
    ]);
    expect(errorsOf(s)[0]?.message).toContain('input "seed": an int parameter is described as KFP STRING (a string)');
  });

  test('every error code has a test', () => {
    expect([...covered].sort()).toEqual([...IR_ERROR_CODES].sort());
  });
});

describe('scope rules', () => {
  test('a task may read outputs of tasks in enclosing DAGs', () => {
    const s = spec({
      fan: {
        type: 'loop',
        dependsOn: [],
        items: { kind: 'constant', value: [1] },
        body: dag({
          pick: {
            type: 'condition',
            dependsOn: [],
            branches: [
              {
                when: { op: 'gt', left: out('make', 'count'), right: constant(1) },
                dag: dag({ t: task('train', { data: out('make', 'data') }) }),
              },
            ],
          },
        }),
      },
    });
    expect(errorsOf(s)).toEqual([]);
  });

  test('an exit task cannot read outputs of the body it guards', () => {
    const s = spec({
      guard: {
        type: 'exitHandler',
        dependsOn: [],
        body: dag({ w: task('echo', { text: constant('x') }) }),
        exit: dag({ e: task('echo', { text: out('w', 'out') }) }),
      },
    });
    expectOnly(s, 'dangling-reference', '$.root.tasks.guard.exit.tasks.e.inputs.text.task');
  });

  test("a sub-pipeline cannot see the pipeline's tasks or parameters", () => {
    const s = spec({ sub: task('inner') });
    s.components['inner'] = {
      name: 'inner',
      inputs: {},
      outputs: {},
      implementation: {
        type: 'dag',
        dag: dag({ t: task('train', { data: out('make', 'data') }), e: task('echo', { text: param('greeting') }) }),
        outputs: {},
      },
    };
    expect(errorsOf(s).map((e) => [e.code, e.path])).toEqual([
      ['dangling-reference', '$.components.inner.implementation.dag.tasks.t.inputs.data.task'],
      ['unknown-param', '$.components.inner.implementation.dag.tasks.e.inputs.text.name'],
    ]);
  });

  test('every error in a document is reported, not just the first', () => {
    const s = spec({ a: task('nope'), b: task('echo'), c: task('echo', { text: out('zzz', 'out') }) });
    expect(errorsOf(s).map((e) => e.code)).toEqual(['unknown-component', 'missing-input', 'dangling-reference']);
  });

  describe('collected from nested groups', () => {
    const one: Binding = { kind: 'constant', value: [1, 2] };
    const cond = (tasks: Record<string, Node>): Node => ({
      type: 'condition',
      dependsOn: [],
      branches: [{ when: { op: 'gt', left: { kind: 'loopItem', loop: 'fan' }, right: constant(1) }, dag: dag(tasks) }],
    });

    test('a producer inside a condition inside the loop body can be collected', () => {
      const s = spec({
        fan: {
          type: 'loop',
          dependsOn: [],
          items: one,
          body: dag({ pick: cond({ t: task('train', { data: out('make', 'data') }) }) }),
        },
        all: task('gather', { models: { kind: 'collected', loop: 'fan', task: 't', output: 'model' } }),
      });
      expect(errorsOf(s)).toEqual([]);
    });

    test('a parameter produced in a nested loop collects into a list of lists from outside the outer loop', () => {
      const s = spec({
        fan: {
          type: 'loop',
          dependsOn: [],
          items: one,
          body: dag({
            inner: {
              type: 'loop',
              dependsOn: [],
              items: one,
              body: dag({ pick: cond({ e: task('echo', { text: constant('x') }) }) }),
            },
          }),
        },
        all: task('notify', { status: { kind: 'collected', loop: 'fan', task: 'e', output: 'out' } }),
      });
      // A list fits a list parameter, not an object one: the binding resolved to a list.
      expect(errorsOf(s).map((e) => [e.code, e.path, e.message])).toEqual([
        [
          'type-mismatch',
          '$.root.tasks.all.inputs.status',
          'task "all", input "status": expected object parameter, got list parameter',
        ],
      ]);
    });

    test('artifacts are collected one loop level at a time', () => {
      const s = spec({
        fan: {
          type: 'loop',
          dependsOn: [],
          items: one,
          body: dag({
            inner: {
              type: 'loop',
              dependsOn: [],
              items: one,
              body: dag({ t: task('train', { data: out('make', 'data') }) }),
            },
          }),
        },
        all: task('gather', { models: { kind: 'collected', loop: 'fan', task: 't', output: 'model' } }),
      });
      expect(expectOnly(s, 'type-mismatch', '$.root.tasks.all.inputs.models.task').message).toMatch(/2 loops deep/);
    });

    test('a producer inside an exit handler within the loop cannot be collected', () => {
      const s = spec({
        fan: {
          type: 'loop',
          dependsOn: [],
          items: one,
          body: dag({
            guard: {
              type: 'exitHandler',
              dependsOn: [],
              body: dag({ t: task('train', { data: out('make', 'data') }) }),
              exit: dag({ n: task('notify', { status: { kind: 'finalStatus' } }) }),
            },
          }),
        },
        all: task('gather', { models: { kind: 'collected', loop: 'fan', task: 't', output: 'model' } }),
      });
      expect(expectOnly(s, 'collected-outside', '$.root.tasks.all.inputs.models.task').message).toMatch(
        /exit handler "guard"/,
      );
    });
  });

  describe('typed list parameters', () => {
    test('a list parameter may declare its element type; loop items over it have that type', () => {
      const s = spec({
        fan: {
          type: 'loop',
          dependsOn: [],
          items: param('names'),
          body: dag({ m: task('make', { seed: { kind: 'loopItem', loop: 'fan' } }) }),
        },
      });
      s.params['names'] = { kind: 'param', type: 'list', items: { type: 'string' }, default: ['a', 'b'] };
      expect(errorsOf(s).map((e) => [e.code, e.path])).toEqual([
        ['type-mismatch', '$.root.tasks.fan.body.tasks.m.inputs.seed'],
      ]);
      s.params['names'] = { kind: 'param', type: 'list', items: { type: 'int' }, default: [1, 2] };
      expect(errorsOf(s)).toEqual([]);
    });

    test('defaults must fit the element type, and only lists have one', () => {
      const s = spec();
      s.params['grid'] = {
        kind: 'param',
        type: 'list',
        items: { type: 'list', items: { type: 'int' } },
        default: [
          [1, 2],
          [3, 'x'],
        ],
      };
      s.params['label'] = { kind: 'param', type: 'string', items: { type: 'string' } };
      expect(errorsOf(s).map((e) => [e.code, e.path])).toEqual([
        ['default-type-mismatch', '$.params.grid.default[1][1]'],
        ['type-mismatch', '$.params.label.items'],
      ]);
    });
  });

  test('the validator returns the parsed spec typed', () => {
    const result = validateSpec(raw(spec()) as unknown);
    if (!result.ok) throw new Error('expected ok');
    const name: string = result.spec.pipeline.name;
    expect(name).toBe('test-pipeline');
    const typed: PipelineSpec = result.spec;
    expect(typed.root.tasks['train']?.type).toBe('task');
  });
});
