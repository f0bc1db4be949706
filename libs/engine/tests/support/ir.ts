/**
 * Terse builders for IR test fixtures: the pipelines under test are written as
 * IR directly so each test shows exactly the structure it exercises.
 */
import type {
  Binding,
  Component,
  Dag,
  Expr,
  JsonValue,
  Node,
  Operand,
  PipelineSpec,
  TaskNode,
  TaskSettings,
} from '@kiln/ir';

/** The `fake` component of `fake-activities.ts`: every behaviour input optional, outputs `out` and `model`. */
export const fakeComponent: Component = {
  name: 'fake',
  inputs: {
    value: { kind: 'param', type: 'object', optional: true },
    sleepMs: { kind: 'param', type: 'int', optional: true },
    exitCode: { kind: 'param', type: 'int', optional: true },
    failAttempts: { kind: 'param', type: 'int', optional: true },
    infraFailures: { kind: 'param', type: 'int', optional: true },
    configError: { kind: 'param', type: 'bool', optional: true },
    stoppedPod: { kind: 'param', type: 'string', optional: true },
    items: { kind: 'param', type: 'list', optional: true },
    status: { kind: 'param', type: 'object', optional: true },
    data: { kind: 'artifact', type: 'dataset', optional: true },
  },
  outputs: { out: { kind: 'param', type: 'string' }, model: { kind: 'artifact', type: 'model' } },
  implementation: { type: 'container', image: 'busybox', command: ['fake'] },
};

export const c = (value: JsonValue): Binding => ({ kind: 'constant', value });
export const p = (name: string): Binding => ({ kind: 'param', name });
export const out = (task: string, output = 'out'): Binding => ({ kind: 'output', task, output });
export const item = (loop: string, ...path: string[]): Binding => ({
  kind: 'loopItem',
  loop,
  ...(path.length ? { path } : {}),
});

export function task(
  inputs: Record<string, Binding> = {},
  opts: { after?: string[]; settings?: TaskSettings; component?: string } = {},
): TaskNode {
  // Data dependencies are explicit in the IR; derive them like the compiler does.
  const deps = new Set(opts.after ?? []);
  for (const b of Object.values(inputs)) if (b.kind === 'output') deps.add(b.task);
  return {
    type: 'task',
    component: opts.component ?? 'fake',
    inputs,
    dependsOn: [...deps],
    settings: opts.settings ?? {},
  };
}

export const dag = (tasks: Record<string, Node>): Dag => ({ tasks });

export function cmp(op: 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'in', left: Operand, right: Operand): Expr {
  return { op, left, right } as Expr;
}

export function pipeline(
  name: string,
  root: Record<string, Node>,
  extra: Partial<Pick<PipelineSpec, 'params' | 'settings' | 'outputs' | 'components'>> = {},
): PipelineSpec {
  return {
    schemaVersion: '1.0',
    pipeline: { name },
    params: extra.params ?? {},
    settings: extra.settings ?? {},
    components: { fake: fakeComponent, ...extra.components },
    root: { tasks: root },
    outputs: extra.outputs ?? {},
  };
}
