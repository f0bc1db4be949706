/**
 * A KFP DagSpec → a Kiln DAG. Component tasks become task nodes; condition,
 * loop, if/elif/else and exit-handler group tasks are inlined as Kiln control
 * flow holding the group's own DAG; an exit handler's exit tasks (KFP's
 * `ALL_UPSTREAM_TASKS_COMPLETED` siblings that take its final status) move into
 * the handler's `exit` DAG.
 */
import type { Binding, ConditionBranch, Dag, JsonValue, Node, TaskNode } from '@kiln/ir';
import { inputBinding, itemInputOf } from './bindings';
import { componentFor } from './components';
import { chainBranches, parseCondition, toExpr, type RawBranch } from './conditions';
import { classify, exitTasksOf, groupContext, type DagContext, type Group, type TaskKind } from './context';
import { isDnsLabel } from './names';
import type { At } from './reader';
import { mergeSettings, readTaskSettings } from './settings';

const TASK_FIELDS = {
  taskInfo: null,
  inputs: null,
  dependentTasks: null,
  cachingOptions: null,
  componentRef: null,
  triggerPolicy: null,
  retryPolicy: null,
  parameterIterator: null,
  artifactIterator: null,
  iteratorPolicy: null,
} as const;

export function translateDag(ctx: DagContext): Dag {
  ctx.dag.only({ tasks: null, outputs: null });
  const tasks: Record<string, Node> = {};
  const exitOf = new Map<string, string>();
  const entries = ctx.dag.child('tasks').entries();
  for (const [name, task] of entries) {
    if (classify(ctx, name, task)?.kind === 'exitHandler')
      for (const exit of exitTasksOf(ctx, name)) exitOf.set(exit, name);
  }
  for (const [name, task] of entries) {
    if (exitOf.has(name)) continue;
    if (!isDnsLabel(name)) {
      task.report('task names', `"${name}" is not a Kiln task id (lowercase letters, digits and dashes, at most 63)`);
      continue;
    }
    const node = translateNode(ctx, name, task, exitOf);
    if (node) tasks[name] = node;
  }
  return { tasks };
}

function translateNode(ctx: DagContext, name: string, task: At, exitOf: Map<string, string>): Node | undefined {
  taskFieldsOnly(task);
  const kind = classify(ctx, name, task);
  if (!kind) return undefined;
  const dependsOn = dependencies(ctx, name, task, exitOf);
  if (kind.kind !== 'loop' && !task.child('iteratorPolicy').missing) {
    task
      .child('iteratorPolicy')
      .report('dsl.ParallelFor(parallelism=...)', 'a parallelism limit on a task that is not a loop');
  }
  if (kind.kind === 'executor' || kind.kind === 'subPipeline') return taskNode(ctx, name, task, kind, dependsOn);
  const group: Group = { id: name, kind: kind.kind, task, component: kind.component, ...itemInputOf(task) };
  groupFieldsOnly(task, group);
  kind.component.only({ inputDefinitions: null, outputDefinitions: null, dag: null });
  const inner = groupContext(ctx, group);
  switch (group.kind) {
    case 'loop':
      return loopNode(ctx, inner, group, dependsOn);
    case 'condition': {
      const cel = parseCondition(task.child('triggerPolicy').child('condition'));
      const when = cel && toExpr(inner, cel, task.child('triggerPolicy').child('condition'));
      const dag = translateDag(inner);
      return when && { type: 'condition', dependsOn, branches: [{ when, dag }] };
    }
    case 'branches': {
      const branches = chainOf(inner);
      return branches && { type: 'condition', dependsOn, branches };
    }
    case 'exitHandler':
      return exitHandlerNode(ctx, inner, name, dependsOn);
  }
}

/** The fields of a task spec, and of its small sub-objects, that the translator reads. */
function taskFieldsOnly(task: At): void {
  task.only(TASK_FIELDS);
  task.child('taskInfo').only({ name: null });
  task.child('triggerPolicy').only({ condition: null, strategy: null });
  task.child('inputs').only({ parameters: null, artifacts: null });
}

/** Group tasks carry no task settings in KFP; anything set there has no place in Kiln. */
function groupFieldsOnly(task: At, group: Group): void {
  for (const field of ['cachingOptions', 'retryPolicy'] as const) {
    if (!task.child(field).missing) {
      task.child(field).report(`${field} on a ${group.kind} group`, 'Kiln sets these per task, not per group');
    }
  }
  const strategy = task.child('triggerPolicy').child('strategy');
  if (strategy.value === 'ALL_UPSTREAM_TASKS_COMPLETED') {
    strategy.report('ignore_upstream_failure on a group', 'Kiln groups run only when their dependencies succeed');
  }
}

/** Sibling dependencies; a dependency on an exit task is a dependency on its exit handler. */
function dependencies(ctx: DagContext, name: string, task: At, exitOf: Map<string, string>): string[] {
  const siblings = ctx.dag.child('tasks');
  const out = new Set<string>();
  for (const dep of task.child('dependentTasks').items()) {
    const id = dep.string();
    if (id === undefined) continue;
    if (siblings.child(id).missing) dep.report('dependentTasks', `"${id}" is not a task of this DAG`);
    else out.add(exitOf.get(id) ?? id);
  }
  out.delete(name);
  return [...out];
}

function taskNode(
  ctx: DagContext,
  name: string,
  task: At,
  kind: TaskKind,
  dependsOn: string[],
  finalStatusOf?: string,
): TaskNode | undefined {
  const component = componentFor(ctx.t, kind.componentKey, task.child('componentRef'));
  const inputs: TaskNode['inputs'] = {};
  let ok = component !== undefined;
  const declared = component ? (ctx.t.components[component]?.inputs ?? {}) : {};
  task.child('inputs').only({ parameters: null, artifacts: null });
  for (const side of ['parameters', 'artifacts'] as const) {
    for (const [input, spec] of task.child('inputs').child(side).entries()) {
      if (component && !Object.prototype.hasOwnProperty.call(declared, input)) {
        spec.report(
          input.startsWith('pipelinechannel--')
            ? 'pipeline channels inside a constant (f-string input values)'
            : 'task inputs',
          `the task binds "${input}", which its component does not declare`,
        );
        ok = false;
        continue;
      }
      const binding = inputBinding(ctx, spec, side, finalStatusOf);
      if (binding) inputs[input] = binding;
      else ok = false;
    }
  }
  const settings = mergeSettings(
    ctx.t.taskDefaults.get(kind.componentKey) ?? {},
    readTaskSettings(task, name, finalStatusOf !== undefined),
  );
  if (!ok || !component) return undefined;
  return { type: 'task', component, inputs, dependsOn, settings };
}

function loopNode(ctx: DagContext, inner: DagContext, group: Group, dependsOn: string[]): Node | undefined {
  const task = group.task;
  const body = translateDag(inner);
  const items = loopItems(ctx, task);
  const parallelism = task.child('iteratorPolicy').child('parallelismLimit').number();
  task.child('iteratorPolicy').only({ parallelismLimit: null });
  if (!items) return undefined;
  return { type: 'loop', dependsOn, items, ...(parallelism !== undefined && parallelism > 0 && { parallelism }), body };
}

/** A loop's items: a raw JSON list, or a group input bound in the enclosing DAG. */
function loopItems(ctx: DagContext, task: At): Binding | undefined {
  const parameter = task.child('parameterIterator');
  if (!parameter.missing) {
    parameter.only({ items: null, itemInput: null });
    parameter.child('items').only({ raw: null, inputParameter: null });
    const raw = parameter.child('items').child('raw');
    if (!raw.missing) {
      const text = raw.string() ?? '';
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        return raw.refuse('dsl.ParallelFor', `loop items ${JSON.stringify(text)} are not a JSON list`);
      }
      if (!Array.isArray(value)) return raw.refuse('dsl.ParallelFor', 'loop items must be a list');
      return { kind: 'constant', value: value as JsonValue };
    }
    const name = parameter.child('items').child('inputParameter').string();
    const bound = name === undefined ? undefined : task.child('inputs').child('parameters').child(name);
    if (!bound || bound.missing)
      return parameter.refuse('dsl.ParallelFor', 'loop items from an input the loop task does not bind');
    return inputBinding(ctx, bound, 'parameters');
  }
  const artifact = task.child('artifactIterator');
  artifact.only({ items: null, itemInput: null });
  artifact.child('items').only({ inputArtifact: null });
  const name = artifact.child('items').child('inputArtifact').string();
  const bound = name === undefined ? undefined : task.child('inputs').child('artifacts').child(name);
  if (!bound || bound.missing)
    return artifact.refuse('dsl.ParallelFor', 'loop items from an artifact the loop task does not bind');
  return inputBinding(ctx, bound, 'artifacts');
}

/** The branches of an if/elif/else group (`condition-branches-N`), each a `condition-M` group. */
function chainOf(ctx: DagContext): ConditionBranch[] | undefined {
  const raw: RawBranch[] = [];
  let ok = true;
  for (const [name, task] of ctx.dag.child('tasks').entries()) {
    taskFieldsOnly(task);
    const kind = classify(ctx, name, task);
    const at = task.child('triggerPolicy').child('condition');
    if (kind?.kind !== 'condition') {
      if (kind) task.report('dsl.If / dsl.Elif / dsl.Else', 'an if/elif/else group holds only condition groups');
      ok = false;
      continue;
    }
    const cel = parseCondition(at);
    kind.component.only({ inputDefinitions: null, outputDefinitions: null, dag: null });
    const group: Group = { id: name, kind: 'condition', task, component: kind.component };
    const inner = groupContext(ctx, group);
    const dag = translateDag(inner);
    if (!cel) ok = false;
    else raw.push({ cel, ctx: inner, at, dag, order: Number(/(\d+)$/.exec(name)?.[1] ?? 0) });
  }
  return ok ? chainBranches(raw) : undefined;
}

function exitHandlerNode(ctx: DagContext, inner: DagContext, name: string, dependsOn: string[]): Node | undefined {
  const body = translateDag(inner);
  const exit: Dag = { tasks: {} };
  const extra = new Set(dependsOn);
  for (const exitName of exitTasksOf(ctx, name)) {
    const task = ctx.dag.child('tasks').child(exitName);
    taskFieldsOnly(task);
    const kind = classify(ctx, exitName, task);
    if (!kind || (kind.kind !== 'executor' && kind.kind !== 'subPipeline')) {
      if (kind) task.report('dsl.ExitHandler', 'the exit task must be a component or pipeline task');
      continue;
    }
    // The exit task's other dependencies wait for the whole exit handler in Kiln.
    for (const dep of task.child('dependentTasks').items()) {
      const id = dep.string();
      if (id !== undefined && id !== name) extra.add(id);
    }
    const node = taskNode(ctx, exitName, task, kind, [], name);
    if (node) exit.tasks[exitName] = node;
  }
  return { type: 'exitHandler', dependsOn: [...extra], body, exit };
}
