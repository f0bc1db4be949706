import { validateSpec, type Binding, type Component, type Expr, type Node, type ParamType } from '@kiln/ir';
import type { RunStatusDocument, TaskStatus } from '@kiln/engine-contract';
import { startHarness, states, tasksOf, type Harness } from './support/harness';
import { c, cmp, dag, fakeComponent, item, out, p, pipeline, task } from './support/ir';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 120_000);
afterAll(() => h?.close());

const param = (name: string) => ({ kind: 'param', name }) as const;
const constant = (value: number | string) => ({ kind: 'constant', value }) as const;

describe('conditions', () => {
  const ifElifElse = pipeline(
    'if-elif-else',
    {
      decide: {
        type: 'condition',
        dependsOn: [],
        branches: [
          { when: cmp('gt', param('n'), constant(10)), dag: dag({ big: task({ value: c('big') }) }) },
          { when: cmp('gt', param('n'), constant(5)), dag: dag({ medium: task({ value: c('medium') }) }) },
          { dag: dag({ small: task({ value: c('small') }) }) },
        ],
      },
      report: task(
        {
          value: {
            kind: 'oneOf',
            condition: 'decide',
            sources: [
              { kind: 'output', task: 'big', output: 'out' },
              { kind: 'output', task: 'medium', output: 'out' },
              { kind: 'output', task: 'small', output: 'out' },
            ],
          },
        },
        { after: ['decide'] },
      ),
    },
    { params: { n: { kind: 'param', type: 'int' } } },
  );

  it.each([
    [20, 'big'],
    [7, 'medium'],
    [1, 'small'],
  ])(
    'with n=%d runs only the %s branch and oneOf picks its output',
    async (n, ran) => {
      const { doc } = await h.run(ifElifElse, { n });
      expect(doc.state).toBe('SUCCEEDED');
      for (const branch of ['big', 'medium', 'small'])
        expect(states(doc)[branch]).toBe(branch === ran ? 'succeeded' : 'skipped');
      expect(tasksOf(doc, 'report')[0]?.outputs.params['out']).toBe(ran);
    },
    60_000,
  );

  it('combines conditions with and/or/not', async () => {
    const inRange: Expr = { op: 'and', args: [cmp('ge', param('x'), constant(3)), cmp('lt', param('x'), constant(6))] };
    const spec = pipeline(
      'and-or-not',
      {
        both: { type: 'condition', dependsOn: [], branches: [{ when: inRange, dag: dag({ inrange: task() }) }] },
        either: {
          type: 'condition',
          dependsOn: [],
          branches: [
            {
              when: { op: 'or', args: [cmp('eq', param('x'), constant(1)), cmp('eq', param('mode'), constant('all'))] },
              dag: dag({ anyof: task() }),
            },
          ],
        },
        negated: {
          type: 'condition',
          dependsOn: [],
          branches: [{ when: { op: 'not', arg: inRange }, dag: dag({ outside: task() }) }],
        },
        member: {
          type: 'condition',
          dependsOn: [],
          branches: [
            {
              when: cmp('in', param('mode'), { kind: 'constant', value: ['all', 'some'] }),
              dag: dag({ listed: task() }),
            },
          ],
        },
      },
      { params: { x: { kind: 'param', type: 'int' }, mode: { kind: 'param', type: 'string' } } },
    );
    const { doc } = await h.run(spec, { x: 4, mode: 'none' });
    expect(states(doc)).toEqual({ inrange: 'succeeded', anyof: 'skipped', outside: 'skipped', listed: 'skipped' });
    const second = await h.run(spec, { x: 9, mode: 'all' });
    expect(states(second.doc)).toEqual({
      inrange: 'skipped',
      anyof: 'succeeded',
      outside: 'succeeded',
      listed: 'succeeded',
    });
  }, 60_000);

  it('branches on an upstream output', async () => {
    const spec = pipeline('branch-on-output', {
      evaluate: task({ value: c('yes') }),
      gate: {
        type: 'condition',
        dependsOn: ['evaluate'],
        branches: [
          {
            when: cmp('eq', { kind: 'output', task: 'evaluate', output: 'out' }, constant('yes')),
            dag: dag({ deploy: task() }),
          },
        ],
      },
    });
    const { doc } = await h.run(spec);
    expect(states(doc)).toEqual({ evaluate: 'succeeded', deploy: 'succeeded' });
  }, 60_000);
});

describe('loops', () => {
  it('honours parallelism and collects outputs in item order', async () => {
    // Later items finish first, so completion order is the reverse of item order.
    const items = [0, 1, 2, 3, 4, 5].map((i) => ({ id: `item-${i}`, delay: 400 - i * 60 }));
    const spec = pipeline('loop-ordered', {
      fan: {
        type: 'loop',
        dependsOn: [],
        items: c(items),
        parallelism: 2,
        body: dag({ work: task({ value: item('fan', 'id'), sleepMs: item('fan', 'delay') }) }),
      },
      gather: task({ value: { kind: 'collected', loop: 'fan', task: 'work', output: 'out' } }, { after: ['fan'] }),
    });
    const before = h.log.calls.length;
    const { doc } = await h.run(spec);
    expect(doc.state).toBe('SUCCEEDED');
    expect(tasksOf(doc, 'gather')[0]?.outputs.params['out']).toEqual(items.map((i) => i.id));
    expect(tasksOf(doc, 'work').map((t) => t.iteration)).toEqual([[0], [1], [2], [3], [4], [5]]);
    // At most two iterations overlapped at any moment.
    const calls = h.log.calls.slice(before).filter((call) => call.taskId === 'work');
    // Sweep over start/finish events (a finish before a start at the same instant): the peak
    // count is the concurrency. Counting the calls that overlap one call is not: a long call
    // can overlap two short ones that ran one after the other.
    const events = calls.flatMap((call) => [
      { at: call.startedAt, delta: 1 },
      { at: call.finishedAt ?? Number.POSITIVE_INFINITY, delta: -1 },
    ]);
    events.sort((a, b) => a.at - b.at || a.delta - b.delta);
    let running = 0;
    let peak = 0;
    for (const event of events) {
      running += event.delta;
      peak = Math.max(peak, running);
    }
    expect(peak).toBeLessThanOrEqual(2);
    expect(peak).toBeGreaterThanOrEqual(1);
    expect(calls.map((call) => call.summary)).toContain('fake [3/6]');
  }, 60_000);

  it('loops over a parameter and over an upstream output', async () => {
    const spec = pipeline(
      'loop-sources',
      {
        overParam: {
          type: 'loop',
          dependsOn: [],
          items: p('names'),
          body: dag({ greet: task({ value: item('overParam') }) }),
        },
        produce: task({ value: c(['x', 'y']) }),
        overOutput: {
          type: 'loop',
          dependsOn: ['produce'],
          items: out('produce'),
          body: dag({ use: task({ value: item('overOutput') }) }),
        },
      },
      { params: { names: { kind: 'param', type: 'list', default: ['ann', 'bob', 'cy'] } } },
    );
    const { doc } = await h.run(spec);
    expect(tasksOf(doc, 'greet').map((t) => t.outputs.params['out'])).toEqual(['ann', 'bob', 'cy']);
    expect(tasksOf(doc, 'use').map((t) => t.outputs.params['out'])).toEqual(['x', 'y']);
  }, 60_000);

  it('runs nested loops and collects a list per outer item', async () => {
    const spec = pipeline('nested-loops', {
      outer: {
        type: 'loop',
        dependsOn: [],
        items: c([
          { name: 'a', inner: [1, 2] },
          { name: 'b', inner: [3, 4, 5] },
        ]),
        body: dag({
          inner: {
            type: 'loop',
            dependsOn: [],
            items: item('outer', 'inner'),
            body: dag({ leaf: task({ value: item('inner') }) }),
          },
        }),
      },
      gather: task({ value: { kind: 'collected', loop: 'outer', task: 'leaf', output: 'out' } }, { after: ['outer'] }),
    });
    const { doc } = await h.run(spec);
    expect(doc.state).toBe('SUCCEEDED');
    expect(tasksOf(doc, 'leaf').map((t) => t.iteration)).toEqual([
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
      [1, 2],
    ]);
    expect(tasksOf(doc, 'gather')[0]?.outputs.params['out']).toEqual([
      [1, 2],
      [3, 4, 5],
    ]);
  }, 60_000);
});

describe('fan-in from nested groups', () => {
  const threshold = (loop: string) => cmp('ge', { kind: 'loopItem', loop }, param('threshold'));
  const conditional = pipeline(
    'collected-conditional',
    {
      fan: {
        type: 'loop',
        dependsOn: [],
        items: c([1, 2, 3, 4]),
        body: dag({
          gate: {
            type: 'condition',
            dependsOn: [],
            branches: [{ when: threshold('fan'), dag: dag({ double: task({ value: item('fan') }) }) }],
          },
        }),
      },
      gather: task({ value: { kind: 'collected', loop: 'fan', task: 'double', output: 'out' } }, { after: ['fan'] }),
    },
    { params: { threshold: { kind: 'param', type: 'int', default: 2 } } },
  );

  it.each([
    ['in one workflow', {}],
    ['in loop batch children', { loopBatchSize: 2 }],
  ])(
    'collected leaves out iterations where a producer inside a condition was skipped (%s)',
    async (_how, options) => {
      const { doc } = await h.run(conditional, {}, options);
      expect(doc.state).toBe('SUCCEEDED');
      expect(tasksOf(doc, 'gather')[0]?.outputs.params['out']).toEqual([2, 3, 4]);
    },
    60_000,
  );

  it('collected gives an empty list when every iteration skipped the producer', async () => {
    const { doc } = await h.run(conditional, { threshold: 10 });
    expect(doc.state).toBe('SUCCEEDED');
    expect(tasksOf(doc, 'double').map((t) => t.state)).toEqual(['skipped', 'skipped', 'skipped', 'skipped']);
    expect(tasksOf(doc, 'gather')[0]?.outputs.params['out']).toEqual([]);
  }, 60_000);

  const twoLevels = pipeline(
    'collected-two-levels',
    {
      outer: {
        type: 'loop',
        dependsOn: [],
        items: c([[1, 2], [3], [4, 5, 6]]),
        body: dag({
          other: { type: 'loop', dependsOn: [], items: c(['x']), body: dag({ decoy: task({ value: c('decoy') }) }) },
          inner: {
            type: 'loop',
            dependsOn: [],
            items: item('outer'),
            body: dag({
              gate: {
                type: 'condition',
                dependsOn: [],
                branches: [{ when: threshold('inner'), dag: dag({ leaf: task({ value: item('inner') }) }) }],
              },
            }),
          },
        }),
      },
      gather: task({ value: { kind: 'collected', loop: 'outer', task: 'leaf', output: 'out' } }, { after: ['outer'] }),
    },
    { params: { threshold: { kind: 'param', type: 'int', default: 2 } } },
  );

  it.each([
    ['in one workflow', {}],
    ['with both loops in batch children', { loopBatchSize: 2 }],
  ])(
    'collected across two loop levels gives a list per outer item, in item order (%s)',
    async (_how, options) => {
      const { doc } = await h.run(twoLevels, {}, options);
      expect(doc.state).toBe('SUCCEEDED');
      // Outer item [1, 2] keeps only 2; [3] keeps 3; an outer iteration whose producers were all skipped gives [].
      expect(tasksOf(doc, 'gather')[0]?.outputs.params['out']).toEqual([[2], [3], [4, 5, 6]]);
      const none = await h.run(twoLevels, { threshold: 4 }, options);
      expect(tasksOf(none.doc, 'gather')[0]?.outputs.params['out']).toEqual([[], [], [4, 5, 6]]);
    },
    60_000,
  );
});

describe('fan-in where the pipeline and a sub-pipeline use the same loop and task ids', () => {
  // The DSL numbers loops per pipeline, so a pipeline and a sub-pipeline it uses both get a
  // `for-loop-1`, and a component used in both gives their tasks the same id. Nested differently,
  // each `collected` needs the list depth of its own DAG.
  const collected = (loop: string, producer: string): Binding => ({
    kind: 'collected',
    loop,
    task: producer,
    output: 'out',
  });
  /** Runs as the fake step (which echoes `value` to `out`), with typed inputs so the specs validate. */
  const echo = (name: string, inputs: Record<string, ParamType>, out: ParamType): Component => ({
    name,
    inputs: Object.fromEntries(Object.entries(inputs).map(([input, type]) => [input, { kind: 'param', type }])),
    outputs: { out: { kind: 'param', type: out } },
    implementation: fakeComponent.implementation,
  });
  const echoes = {
    'print-op': echo('print-op', { value: 'string' }, 'string'),
    'gather-op': echo('gather-op', { value: 'list' }, 'list'),
    'use-all-op': echo('use-all-op', { value: 'string', items: 'list' }, 'string'),
  };
  const printOp = (loop: string) => task({ value: item(loop) }, { component: 'print-op' });
  const gather = task(
    { value: collected('for-loop-1', 'print-op') },
    { component: 'gather-op', after: ['for-loop-1'] },
  );
  /** `for-loop-1` over `items` with `print-op` directly in its body. */
  const flat = (items: string[]): Record<string, Node> => ({
    'for-loop-1': { type: 'loop', dependsOn: [], items: c(items), body: dag({ 'print-op': printOp('for-loop-1') }) },
    gather,
  });
  /** `for-loop-1` over lists, each item's elements run by `print-op` in an inner `for-loop-2`. */
  const nested = (items: string[][]): Record<string, Node> => ({
    'for-loop-1': {
      type: 'loop',
      dependsOn: [],
      items: c(items),
      body: dag({
        'for-loop-2': {
          type: 'loop',
          dependsOn: [],
          items: item('for-loop-1'),
          body: dag({ 'print-op': printOp('for-loop-2') }),
        },
      }),
    },
    gather,
  });
  const withSubPipeline = (name: string, root: Record<string, Node>, inner: Record<string, Node>) => {
    const subPipeline: Component = {
      name: 'inner-pipeline',
      inputs: {},
      outputs: { out: { kind: 'param', type: 'list' } },
      implementation: { type: 'dag', dag: dag(inner), outputs: { out: collected('for-loop-1', 'print-op') } },
    };
    const spec = pipeline(
      name,
      { ...root, 'inner-pipeline': task({}, { component: 'inner-pipeline' }) },
      { components: { ...echoes, 'inner-pipeline': subPipeline } },
    );
    // The engine runs what it is given: make sure the IR is one the validator (and so the API) accepts.
    const validation = validateSpec(spec);
    expect(validation.ok ? [] : validation.errors).toEqual([]);
    return spec;
  };

  it.each([
    ['the root loop is flat and the sub-pipeline loop nested, in one workflow', 'flat', {}],
    ['the root loop is flat and the sub-pipeline loop nested, in loop batch children', 'flat', { loopBatchSize: 1 }],
    ['the root loop is nested and the sub-pipeline loop flat, in one workflow', 'nested', {}],
    ['the root loop is nested and the sub-pipeline loop flat, in loop batch children', 'nested', { loopBatchSize: 1 }],
  ] as const)(
    'each collected gets the list depth of its own DAG when %s',
    async (_how, rootShape, options) => {
      const flatItems = ['f1', 'f2', 'f3'];
      const nestedItems = [['n1', 'n2'], ['n3']];
      const [root, inner] =
        rootShape === 'flat' ? [flat(flatItems), nested(nestedItems)] : [nested(nestedItems), flat(flatItems)];
      const spec = withSubPipeline(`collected-root-${rootShape}`, root, inner);
      const { doc } = await h.run(spec, {}, options);
      expect(doc.state).toBe('SUCCEEDED');
      const [rootList, innerList] = rootShape === 'flat' ? [flatItems, nestedItems] : [nestedItems, flatItems];
      expect(tasksOf(doc, 'gather')[0]?.outputs.params['out']).toEqual(rootList);
      // A task inside the sub-pipeline and the sub-pipeline's own output both read its loop.
      expect(tasksOf(doc, 'inner-pipeline/gather')[0]?.outputs.params['out']).toEqual(innerList);
      expect(tasksOf(doc, 'inner-pipeline')[0]?.outputs.params['out']).toEqual(innerList);
    },
    120_000,
  );

  it('a loop run in batch children reads the nested fan-in of an earlier loop of its own DAG, not a namesake', async () => {
    // A batch child gets the spec with only its loop as root: the earlier loop is not in it, while
    // the sub-pipeline has a (flat) loop of the same id.
    const withConsumer = (tasks: Record<string, Node>): Record<string, Node> => ({
      ...tasks,
      'for-loop-3': {
        type: 'loop',
        dependsOn: ['for-loop-1'],
        items: c(['x', 'y', 'z']),
        body: dag({
          'use-all': task(
            { value: item('for-loop-3'), items: collected('for-loop-1', 'print-op') },
            { component: 'use-all-op' },
          ),
        }),
      },
    });
    const spec = withSubPipeline(
      'collected-read-in-batch-children',
      withConsumer(nested([['a', 'b'], ['c']])),
      withConsumer(flat(['s1', 's2'])),
    );
    const { doc } = await h.run(spec, {}, { loopBatchSize: 2 });
    expect(doc.state).toBe('SUCCEEDED');
    const received = h.log.calls
      .filter((call) => call.executionKey.startsWith(`${doc.runId}.`) && call.taskId.endsWith('use-all'))
      .map((call) => [call.taskId, call.params['value'], call.params['items']]);
    const byTaskAndItem = (x: unknown[], y: unknown[]) => `${x[0]}:${x[1]}`.localeCompare(`${y[0]}:${y[1]}`);
    expect(received.sort(byTaskAndItem)).toEqual([
      ...['x', 'y', 'z'].map((v) => ['inner-pipeline/use-all', v, ['s1', 's2']]),
      ...['x', 'y', 'z'].map((v) => ['use-all', v, [['a', 'b'], ['c']]]),
    ]);
  }, 120_000);
});

describe('loops over artifacts', () => {
  const useModel: Component = {
    name: 'use-model',
    inputs: { model: { kind: 'artifact', type: 'model' } },
    outputs: { out: { kind: 'param', type: 'string' } },
    implementation: { type: 'container', image: 'busybox', command: ['use'] },
  };
  const spec = pipeline(
    'loop-over-artifacts',
    {
      make: {
        type: 'loop',
        dependsOn: [],
        items: c(['a', 'b', 'c']),
        body: dag({ maker: task({ value: item('make') }) }),
      },
      each: {
        type: 'loop',
        dependsOn: ['make'],
        items: { kind: 'collected', loop: 'make', task: 'maker', output: 'model' },
        body: dag({ use: task({ model: item('each') }, { component: 'use-model' }) }),
      },
    },
    { components: { 'use-model': useModel } },
  );

  it.each([
    ['in one workflow', {}],
    ['in loop batch children', { loopBatchSize: 2 }],
  ])(
    'parallelFor over a collected list of artifacts passes one artifact per iteration, in order (%s)',
    async (_how, options) => {
      const before = h.log.calls.length;
      const { doc } = await h.run(spec, {}, options);
      expect(doc.state).toBe('SUCCEEDED');
      const calls = h.log.calls.slice(before);
      const made = calls
        .filter((call) => call.taskId === 'maker')
        .sort((x, y) => (x.iteration[0] ?? 0) - (y.iteration[0] ?? 0));
      const used = calls
        .filter((call) => call.taskId === 'use')
        .sort((x, y) => (x.iteration[0] ?? 0) - (y.iteration[0] ?? 0));
      expect(used.map((call) => call.iteration)).toEqual([[0], [1], [2]]);
      const uri = (value: unknown) => (value as { uri: string }).uri;
      expect(made).toHaveLength(3);
      expect(used.map((call) => uri(call.artifacts['model']))).toEqual(
        [0, 1, 2].map((i) => expect.stringMatching(new RegExp(`/maker/iter-${i}/attempt-1/model$`))),
      );
    },
    60_000,
  );
});

describe('sub-pipelines and importers', () => {
  it('runs a dag component as a task and exposes its outputs', async () => {
    const spec = pipeline(
      'nested-pipeline',
      {
        sub: task({ value: c('inner-value') }, { component: 'wrapper' }),
        after: task({ value: out('sub') }),
      },
      {
        components: {
          wrapper: {
            name: 'wrapper',
            inputs: { value: { kind: 'param', type: 'string' } },
            outputs: { out: { kind: 'param', type: 'string' } },
            implementation: {
              type: 'dag',
              dag: dag({ step: task({ value: p('value') }) }),
              outputs: { out: out('step') },
            },
          },
        },
      },
    );
    const { doc } = await h.run(spec);
    expect(states(doc)).toEqual({ sub: 'succeeded', 'sub/step': 'succeeded', after: 'succeeded' });
    expect(tasksOf(doc, 'after')[0]?.outputs.params['out']).toBe('inner-value');
  }, 60_000);

  /** A sub-pipeline holding one task whose id, `same`, outer DAGs use too. */
  const wrapper: Component = {
    name: 'wrapper',
    inputs: { value: { kind: 'param', type: 'string' } },
    outputs: { out: { kind: 'param', type: 'string' }, model: { kind: 'artifact', type: 'model' } },
    implementation: {
      type: 'dag',
      dag: dag({ same: task({ value: p('value') }) }),
      outputs: { out: out('same'), model: out('same', 'model') },
    },
  };
  /** Steps of one run, in the order they were called. */
  const stepsOf = (runId: string) => h.log.calls.filter((call) => call.executionKey.startsWith(`${runId}.`));
  const inIterationOrder = (entries: TaskStatus[]) => {
    const byIndices = (a: number[], b: number[]): number =>
      a.length && b.length ? (a[0] ?? 0) - (b[0] ?? 0) || byIndices(a.slice(1), b.slice(1)) : a.length - b.length;
    return [...entries].sort((a, b) => byIndices(a.iteration ?? [], b.iteration ?? []));
  };
  /** Each task id's outputs in iteration order (the status document lists entries as tasks start, which loops interleave). */
  const outputsById = (doc: RunStatusDocument) =>
    Object.fromEntries(
      [...new Set(doc.tasks.map((t) => t.id))]
        .sort()
        .map((id) => [id, inIterationOrder(tasksOf(doc, id)).map((t) => t.outputs.params['out'])]),
    );

  it('keeps a sub-pipeline task apart from an outer task of the same id: own entry, execution key, artifacts and outputs', async () => {
    // The inner task runs after the outer one, so a shared execution key would hand it the outer result.
    const spec = pipeline(
      'same-name-inside',
      {
        same: task({ value: c('outer') }),
        wrap: task({ value: c('inner') }, { component: 'wrapper', after: ['same'] }),
        after: task({ value: out('wrap') }),
      },
      { components: { wrapper } },
    );
    const { doc } = await h.run(spec);
    expect(doc.state).toBe('SUCCEEDED');
    expect(tasksOf(doc, 'after')[0]?.outputs.params['out']).toBe('inner');
    expect(states(doc)).toEqual({ same: 'succeeded', wrap: 'succeeded', 'wrap/same': 'succeeded', after: 'succeeded' });
    expect(outputsById(doc)).toEqual({ after: ['inner'], same: ['outer'], wrap: ['inner'], 'wrap/same': ['inner'] });

    const steps = stepsOf(doc.runId);
    expect(steps.map((s) => [s.taskId, s.executionKey, s.summary, s.replayedRecord ?? false])).toEqual([
      ['same', `${doc.runId}.same.1`, 'fake', false],
      ['wrap/same', `${doc.runId}.wrap/same.1`, 'wrap/fake', false],
      ['after', `${doc.runId}.after.1`, 'fake', false],
    ]);
    // The executor derives them from the attempt's identity: runs/<pipeline>/<runId>/tasks/<taskPath>/attempt-<n>/<output>.
    const root = `file:///tmp/kiln-engine-test/runs/same-name-inside/${doc.runId}/tasks`;
    expect(steps.map((s) => s.outputUris['model'])).toEqual([
      `${root}/same/attempt-1/model`,
      `${root}/wrap/same/attempt-1/model`,
      `${root}/after/attempt-1/model`,
    ]);
    expect(tasksOf(doc, 'wrap')[0]?.outputs.artifacts['model']?.uri).toBe(`${root}/wrap/same/attempt-1/model`);
  }, 60_000);

  it('qualifies tasks of nested sub-pipelines by their path and of sub-pipelines in loops by path and iteration', async () => {
    const nest: Component = {
      name: 'nest',
      inputs: { value: { kind: 'param', type: 'string' }, inner: { kind: 'param', type: 'string' } },
      outputs: { out: { kind: 'param', type: 'string' } },
      implementation: {
        type: 'dag',
        dag: dag({
          same: task({ value: p('value') }),
          wrap: task({ value: p('inner') }, { component: 'wrapper', after: ['same'] }),
        }),
        outputs: { out: out('wrap') },
      },
    };
    const items = [0, 1].map((i) => ({ o: `o${i}`, w: `w${i}`, d: `d${i}`, n: `n${i}` }));
    const spec = pipeline(
      'nested-subpipelines-in-loop',
      {
        fan: {
          type: 'loop',
          dependsOn: [],
          items: c(items),
          body: dag({
            same: task({ value: item('fan', 'o') }),
            wrap: task({ value: item('fan', 'w') }, { component: 'wrapper', after: ['same'] }),
            deep: task({ value: item('fan', 'd'), inner: item('fan', 'n') }, { component: 'nest', after: ['wrap'] }),
          }),
        },
        gather: task({ value: { kind: 'collected', loop: 'fan', task: 'deep', output: 'out' } }, { after: ['fan'] }),
      },
      { components: { wrapper, nest } },
    );
    const { doc } = await h.run(spec);
    expect(doc.state).toBe('SUCCEEDED');
    expect(outputsById(doc)).toEqual({
      deep: ['n0', 'n1'],
      'deep/same': ['d0', 'd1'],
      'deep/wrap': ['n0', 'n1'],
      'deep/wrap/same': ['n0', 'n1'],
      gather: [['n0', 'n1']],
      same: ['o0', 'o1'],
      wrap: ['w0', 'w1'],
      'wrap/same': ['w0', 'w1'],
    });
    expect(inIterationOrder(tasksOf(doc, 'deep/wrap/same')).map((t) => t.iteration)).toEqual([[0], [1]]);
    const steps = stepsOf(doc.runId);
    expect(steps.filter((s) => s.replayedRecord)).toEqual([]);
    expect(
      steps
        .filter((s) => s.taskId === 'deep/wrap/same')
        .map((s) => [s.executionKey, s.summary])
        .sort(),
    ).toEqual([
      [`${doc.runId}.deep/wrap/same.0.1`, 'deep/wrap/fake [1/2]'],
      [`${doc.runId}.deep/wrap/same.1.1`, 'deep/wrap/fake [2/2]'],
    ]);
    expect(new Set(steps.map((s) => s.executionKey)).size).toBe(steps.length);
    expect(new Set(steps.map((s) => s.outputUris['model'])).size).toBe(steps.length);
  }, 60_000);

  it('gives loops of the same id in several sub-pipeline tasks their own child-workflow batches', async () => {
    const looper: Component = {
      name: 'looper',
      inputs: {},
      outputs: { out: { kind: 'param', type: 'list' } },
      implementation: {
        type: 'dag',
        dag: dag({
          fan: { type: 'loop', dependsOn: [], items: c([1, 2, 3]), body: dag({ each: task({ value: item('fan') }) }) },
        }),
        outputs: { out: { kind: 'collected', loop: 'fan', task: 'each', output: 'out' } },
      },
    };
    const spec = pipeline(
      'batched-loops-in-subpipelines',
      {
        fan: { type: 'loop', dependsOn: [], items: c([4, 5, 6]), body: dag({ each: task({ value: item('fan') }) }) },
        one: task({}, { component: 'looper' }),
        two: task({}, { component: 'looper' }),
      },
      { components: { looper } },
    );
    const { doc, workflowId } = await h.run(spec, {}, { loopBatchSize: 2 });
    expect(doc.state).toBe('SUCCEEDED');
    expect(tasksOf(doc, 'one')[0]?.outputs.params['out']).toEqual([1, 2, 3]);
    expect(tasksOf(doc, 'two')[0]?.outputs.params['out']).toEqual([1, 2, 3]);
    const summaries = doc.tasks
      .filter((t) => t.batched)
      .map((t) => [t.id, t.batched?.total, t.batched?.childWorkflowIds.sort()]);
    expect(summaries.sort()).toEqual(
      ['each', 'one/each', 'two/each'].map((id) => {
        const loop = id.replace(/each$/, 'fan');
        return [id, 3, [`${workflowId}--${loop}-b0`, `${workflowId}--${loop}-b1`]];
      }),
    );
  }, 120_000);

  it('imports an artifact through the importArtifact activity and passes it on', async () => {
    const spec = pipeline(
      'importer',
      {
        bring: task({}, { component: 'bring' }),
        use: task({ data: out('bring', 'data') }),
      },
      {
        components: {
          bring: {
            name: 'bring',
            inputs: {},
            outputs: { data: { kind: 'artifact', type: 'dataset' } },
            implementation: {
              type: 'importer',
              uri: { kind: 'constant', value: 'file:///data/iris.csv' },
              artifactType: 'dataset',
              reimport: false,
            },
          },
        },
      },
    );
    const { doc } = await h.run(spec);
    expect(doc.state).toBe('SUCCEEDED');
    expect(tasksOf(doc, 'bring')[0]?.outputs.artifacts['data']?.uri).toBe('file:///data/iris.csv');
    const use = h.log.calls.filter((call) => call.taskId === 'use').at(-1);
    expect(use).toBeDefined();
  }, 60_000);
});
