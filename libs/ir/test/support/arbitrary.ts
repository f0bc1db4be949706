/**
 * fast-check arbitraries for small random but VALID pipelines: params, container
 * components, chains and diamonds of tasks wired by outputs, and optionally a
 * loop (with a collected fan-in) and a condition (with a oneOf).
 */
import fc from 'fast-check';
import type { Binding, Node, ParamSpec, PipelineSpec } from '../../src';
import { components, task } from './build';

const text = fc.string({ unit: 'binary', maxLength: 12 });
const scalar = fc.oneof(text, fc.integer(), fc.boolean(), fc.constant(null));

const paramSpec: fc.Arbitrary<ParamSpec> = fc.oneof(
  fc.record(
    { kind: fc.constant('param' as const), type: fc.constant('string' as const), default: text },
    { requiredKeys: ['kind', 'type'] },
  ),
  fc.record(
    { kind: fc.constant('param' as const), type: fc.constant('int' as const), default: fc.integer() },
    { requiredKeys: ['kind', 'type'] },
  ),
  fc.record(
    {
      kind: fc.constant('param' as const),
      type: fc.constant('float' as const),
      default: fc.double({ noNaN: true, noDefaultInfinity: true }),
    },
    { requiredKeys: ['kind', 'type'] },
  ),
  fc.record(
    {
      kind: fc.constant('param' as const),
      type: fc.constant('bool' as const),
      default: fc.boolean(),
      description: text,
    },
    { requiredKeys: ['kind', 'type'] },
  ),
  fc.record(
    {
      kind: fc.constant('param' as const),
      type: fc.constant('object' as const),
      default: fc.dictionary(text, scalar, { maxKeys: 3 }),
    },
    { requiredKeys: ['kind', 'type'] },
  ),
);

interface Choice {
  component: 'echo' | 'make' | 'train';
  pick: number;
  deps: number[];
  literal: string;
  seed: number;
  display?: string;
}

const choice: fc.Arbitrary<Choice> = fc.record(
  {
    component: fc.constantFrom('echo' as const, 'make' as const, 'train' as const),
    pick: fc.nat(),
    deps: fc.array(fc.nat(), { maxLength: 3 }),
    literal: text,
    seed: fc.integer(),
    display: text,
  },
  { requiredKeys: ['component', 'pick', 'deps', 'literal', 'seed'] },
);

export const validSpec: fc.Arbitrary<PipelineSpec> = fc
  .record({
    name: fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/),
    description: fc.option(text, { nil: undefined }),
    params: fc.dictionary(fc.stringMatching(/^[a-z][A-Za-z0-9_]{0,6}$/), paramSpec, { maxKeys: 3 }),
    tasks: fc.array(choice, { minLength: 1, maxLength: 7 }),
    loop: fc.option(fc.array(fc.integer(), { maxLength: 4 }), { nil: undefined }),
    condition: fc.option(fc.tuple(text, text), { nil: undefined }),
    env: fc.dictionary(fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,5}$/), text, { maxKeys: 2 }),
    image: text.filter((s) => s.length > 0),
  })
  .map(({ name, description, params, tasks, loop, condition, env, image }) => {
    const root: Record<string, Node> = {};
    const ids: string[] = [];
    const byComponent: Record<string, string[]> = { echo: [], make: [], train: [] };
    const stringParams = Object.entries(params)
      .filter(([, p]) => p.type === 'string')
      .map(([n]) => n);
    tasks.forEach((c, i) => {
      const id = `t${i}`;
      const earlier = (component: string) => byComponent[component] ?? [];
      let component = c.component;
      if (component === 'train' && earlier('make').length === 0) component = 'make';
      const inputs: Record<string, Binding> = {};
      const from = (list: string[]) => list[c.pick % list.length] as string;
      if (component === 'echo') {
        const echoes = earlier('echo');
        inputs['text'] =
          c.pick % 3 === 0 && echoes.length > 0
            ? { kind: 'output', task: from(echoes), output: 'out' }
            : c.pick % 3 === 1 && stringParams.length > 0
              ? { kind: 'param', name: from(stringParams) }
              : { kind: 'constant', value: c.literal };
      } else if (component === 'make') {
        const makes = earlier('make');
        if (c.pick % 2 === 0)
          inputs['seed'] =
            makes.length > 0
              ? { kind: 'output', task: from(makes), output: 'count' }
              : { kind: 'constant', value: c.seed };
      } else {
        inputs['data'] = { kind: 'output', task: from(earlier('make')), output: 'data' };
      }
      const dependsOn = [...new Set(c.deps.filter((d) => d < i).map((d) => `t${d}`))];
      const node = task(component, inputs, dependsOn);
      if (c.display !== undefined) node.settings = { displayName: c.display, env };
      root[id] = node;
      ids.push(id);
      byComponent[component]?.push(id);
    });
    const makes = byComponent['make'] ?? [];
    if (loop) {
      root['fan'] = {
        type: 'loop',
        dependsOn: [],
        items: { kind: 'constant', value: loop },
        parallelism: 2,
        body: {
          tasks: {
            'fan-make': task('make', { seed: { kind: 'loopItem', loop: 'fan' } }),
            'fan-train': task('train', { data: { kind: 'output', task: 'fan-make', output: 'data' } }),
          },
        },
      };
      root['fan-in'] = task('gather', {
        models: { kind: 'collected', loop: 'fan', task: 'fan-train', output: 'model' },
      });
    }
    if (condition) {
      const left: Binding =
        makes.length > 0
          ? { kind: 'output', task: makes[0] as string, output: 'count' }
          : { kind: 'constant', value: 1 };
      root['pick'] = {
        type: 'condition',
        dependsOn: [],
        branches: [
          {
            when: { op: 'gt', left, right: { kind: 'constant', value: 3 } },
            dag: { tasks: { 'pick-a': task('echo', { text: { kind: 'constant', value: condition[0] } }) } },
          },
          { dag: { tasks: { 'pick-b': task('echo', { text: { kind: 'constant', value: condition[1] } }) } } },
        ],
      };
      root['picked'] = task('echo', {
        text: {
          kind: 'oneOf',
          condition: 'pick',
          sources: [
            { kind: 'output', task: 'pick-a', output: 'out' },
            { kind: 'output', task: 'pick-b', output: 'out' },
          ],
        },
      });
    }
    const spec: PipelineSpec = {
      schemaVersion: '1.0',
      pipeline: { name, ...(description !== undefined && { description }) },
      params,
      settings: { failFast: true },
      components: structuredClone(components),
      root: { tasks: root },
      outputs:
        makes.length > 0 ? { data: { kind: 'output', task: makes[makes.length - 1] as string, output: 'data' } } : {},
    };
    (spec.components['echo'] as { implementation: { image: string } }).implementation.image = image;
    return spec;
  });

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every path to a value in a JSON tree. */
export function pathsOf(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const paths: (string | number)[][] = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => paths.push(...pathsOf(v, [...prefix, i])));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) paths.push(...pathsOf(v, [...prefix, k]));
  return paths;
}

export type Mutation =
  | { op: 'delete'; at: number }
  | { op: 'replace'; at: number; value: unknown }
  | { op: 'insert'; at: number; key: string; value: unknown }
  | { op: 'retarget'; at: number };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({
    op: fc.constant('replace' as const),
    at: fc.nat(),
    value: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.anything({ maxDepth: 1 })),
  }),
  fc.record({
    op: fc.constant('insert' as const),
    at: fc.nat(),
    key: fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('__proto__', 'constructor', 'type', 'kind')),
    value: fc.jsonValue({ maxDepth: 2 }),
  }),
  fc.record({ op: fc.constant('retarget' as const), at: fc.nat() }),
);

/** Applies a mutation to a JSON tree in place (the root is never deleted). */
export function mutate(doc: Json, m: Mutation): void {
  const paths = pathsOf(doc).filter((p) => p.length > 0);
  const path = paths[m.at % paths.length];
  if (!path) return;
  const parent = path
    .slice(0, -1)
    .reduce<Json>((node, key) => (node as Record<string | number, Json>)[key] as Json, doc) as Record<
    string | number,
    Json
  >;
  const key = path[path.length - 1] as string | number;
  switch (m.op) {
    case 'delete':
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
      return;
    case 'replace':
      parent[key] = m.value as Json;
      return;
    case 'insert': {
      const target = parent[key];
      if (target && typeof target === 'object' && !Array.isArray(target))
        Object.defineProperty(target, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
      else if (Array.isArray(target)) target.push(m.value as Json);
      return;
    }
    case 'retarget':
      // Point every reference-like string under this value at a task that does not exist.
      retarget(parent[key] ?? null);
      if (typeof parent[key] === 'string') parent[key] = 'missing-task';
      return;
  }
}

function retarget(value: Json): void {
  if (!value || typeof value !== 'object') return;
  for (const [k, v] of Object.entries(value)) {
    if ((k === 'task' || k === 'loop' || k === 'condition' || k === 'component') && typeof v === 'string')
      (value as Record<string, Json>)[k] = 'missing-task';
    else retarget(v);
  }
}
