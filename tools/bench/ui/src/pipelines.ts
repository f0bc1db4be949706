/**
 * The bench's pipelines as IR: a loop of no-op steps (the run page), a
 * 1,000-task graph (the pipeline page) and a run that starts no step (many
 * runs for the runs list). The no-op step is `/bin/true` on the local executor.
 */
import { IR_SCHEMA_VERSION, type Binding, type Component, type PipelineSpec, type TaskNode } from '@kiln/ir';

const noop: Component = {
  name: 'noop',
  inputs: {},
  outputs: {},
  implementation: { type: 'container', image: 'busybox', command: ['/bin/true'] },
};

const noopTask = (dependsOn: string[] = []): TaskNode => ({
  type: 'task',
  component: 'noop',
  inputs: {},
  dependsOn,
  settings: {},
});

function pipeline(name: string, description: string, tasks: Record<string, PipelineSpec['root']['tasks'][string]>) {
  const spec: PipelineSpec = {
    schemaVersion: IR_SCHEMA_VERSION,
    pipeline: { name, description },
    params: {},
    settings: {},
    components: { noop },
    root: { tasks },
    outputs: {},
  };
  return spec;
}

/**
 * `prepare` → loop `fan` over `iterations` items (a no-op step each, `parallelism` at once) → `report`.
 *
 * @example
 * ```ts
 * loopPipeline(10_000, 64).root.tasks['fan']?.type; // 'loop'
 * ```
 */
export function loopPipeline(iterations: number, parallelism: number): PipelineSpec {
  return pipeline('bench-ui-loop', `a loop of ${iterations} no-op steps`, {
    prepare: noopTask(),
    fan: {
      type: 'loop',
      dependsOn: ['prepare'],
      items: { kind: 'constant', value: Array.from({ length: iterations }, (_, i) => i) },
      parallelism,
      body: { tasks: { step: noopTask() } },
    },
    report: noopTask(['fan']),
  });
}

const taskId = (stage: number, index: number) => `s${stage}-t${index}`;

function wideTask(stage: number, index: number, width: number): TaskNode {
  if (stage === 0) return { ...noopTask(), component: 'wide', inputs: { a: { kind: 'constant', value: `${index}` } } };
  const first = taskId(stage - 1, index);
  const second = taskId(stage - 1, (index * 7 + 3) % width);
  const third = taskId(stage - 1, (index * 13 + 5) % width);
  const input = (task: string): Binding => ({ kind: 'output', task, output: 'out' });
  return { ...noopTask([...new Set([first, second, third])]), component: 'wide', inputs: { a: input(first) } };
}

/**
 * `stages × width` tasks, each reading one task of the stage before and ordered after two more (the shape of
 * apps/ui's wide-pipeline fixture). 25 × 40 = the 1,000 tasks at which KFP's UI stops drawing.
 *
 * @example
 * ```ts
 * Object.keys(widePipeline(25, 40).root.tasks).length; // 1000
 * ```
 */
export function widePipeline(stages: number, width: number): PipelineSpec {
  const tasks: Record<string, TaskNode> = {};
  for (let stage = 0; stage < stages; stage++)
    for (let index = 0; index < width; index++) tasks[taskId(stage, index)] = wideTask(stage, index, width);
  const spec = pipeline(`bench-ui-wide-${stages * width}`, `${stages * width} tasks in ${stages} stages`, tasks);
  spec.components['wide'] = {
    name: 'wide',
    inputs: { a: { kind: 'param', type: 'string' } },
    outputs: { out: { kind: 'param', type: 'string' } },
    implementation: { type: 'container', image: 'busybox', command: ['echo', { kind: 'inputValue', input: 'a' }] },
  };
  return spec;
}

/** A condition that never holds around one no-op step: a run that starts no step and ends at once. */
export function idlePipeline(name: string): PipelineSpec {
  return pipeline(name, 'a condition that never holds: no step runs', {
    never: {
      type: 'condition',
      dependsOn: [],
      branches: [
        {
          when: { op: 'eq', left: { kind: 'constant', value: 1 }, right: { kind: 'constant', value: 2 } },
          dag: { tasks: { skipped: noopTask() } },
        },
      ],
    },
  });
}
