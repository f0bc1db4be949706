/** Small hand-written IR documents for tests: a valid base, and node/binding shorthands. */
import type {
  Binding,
  Component,
  ConstantBinding,
  Dag,
  Node,
  OutputBinding,
  ParamBinding,
  PipelineSpec,
  TaskNode,
} from '../../src';

export const components: Record<string, Component> = {
  make: {
    name: 'make',
    inputs: { seed: { kind: 'param', type: 'int', default: 1 } },
    outputs: { data: { kind: 'artifact', type: 'dataset' }, count: { kind: 'param', type: 'int' } },
    implementation: {
      type: 'container',
      image: 'alpine:3.20',
      command: [
        'make',
        { kind: 'inputValue', input: 'seed' },
        { kind: 'outputPath', output: 'data' },
        { kind: 'outputPath', output: 'count' },
      ],
    },
  },
  train: {
    name: 'train',
    inputs: { data: { kind: 'artifact', type: 'dataset' }, rate: { kind: 'param', type: 'float', default: 0.5 } },
    outputs: { model: { kind: 'artifact', type: 'model' }, score: { kind: 'param', type: 'float' } },
    implementation: {
      type: 'python',
      image: 'python:3.11-slim',
      packages: ['scikit-learn'],
      source: 'def main(data, rate, model):\n    return {"score": 1.0}\n',
      entrypoint: 'main',
    },
  },
  gather: {
    name: 'gather',
    inputs: { models: { kind: 'artifact', type: 'model', list: true } },
    outputs: {},
    implementation: {
      type: 'container',
      image: 'alpine:3.20',
      command: ['ls', { kind: 'inputPath', input: 'models' }],
    },
  },
  echo: {
    name: 'echo',
    inputs: { text: { kind: 'param', type: 'string' } },
    outputs: { out: { kind: 'param', type: 'string' } },
    implementation: {
      type: 'container',
      image: 'alpine:3.20',
      command: ['echo', { kind: 'inputValue', input: 'text' }],
    },
  },
  notify: {
    name: 'notify',
    inputs: { status: { kind: 'param', type: 'object' } },
    outputs: {},
    implementation: {
      type: 'container',
      image: 'alpine:3.20',
      command: ['notify', { kind: 'inputValue', input: 'status' }],
    },
  },
};

export function task(component: string, inputs: Record<string, Binding> = {}, dependsOn: string[] = []): TaskNode {
  return { type: 'task', component, inputs, dependsOn, settings: {} };
}

export const out = (taskId: string, output: string): OutputBinding => ({ kind: 'output', task: taskId, output });
export const constant = (value: string | number | boolean | null): ConstantBinding => ({ kind: 'constant', value });
export const param = (name: string): ParamBinding => ({ kind: 'param', name });
export const dag = (tasks: Record<string, Node>): Dag => ({ tasks });

/** A valid pipeline: make → train, plus whatever `tasks` add to the root DAG. */
export function spec(tasks: Record<string, Node> = {}, extra: Partial<PipelineSpec> = {}): PipelineSpec {
  return {
    schemaVersion: '1.0',
    pipeline: { name: 'test-pipeline' },
    params: { greeting: { kind: 'param', type: 'string', default: 'hi' } },
    settings: {},
    components: structuredClone(components),
    root: dag({
      make: task('make'),
      train: task('train', { data: out('make', 'data') }),
      ...tasks,
    }),
    outputs: {},
    ...extra,
  };
}

/** A JSON-shaped copy the tests may mutate freely. */
export function raw(value: unknown): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}
