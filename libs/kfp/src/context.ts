/**
 * The state of one translation and the scopes it walks. KFP compiles every
 * `dsl.If`, `dsl.ParallelFor`, `dsl.ExitHandler` and if/elif/else chain into a
 * DAG component of its own (`comp-condition-3`, `comp-for-loop-2`...), whose
 * inputs are renamed channels (`pipelinechannel--flip-Output`) bound by the
 * group task in the enclosing DAG. Kiln inlines these groups as control-flow
 * nodes, so a reference to a group input is followed outwards, scope by scope,
 * until it reaches a pipeline parameter, a task output or a loop item.
 */
import type { Component, TaskSettings } from '@kiln/ir';
import type { At, Problems } from './reader';

/** Everything one translation shares. */
export interface Translation {
  readonly problems: Problems;
  /** The PipelineSpec document. */
  readonly spec: At;
  /** `platforms.kubernetes` of the platform document (missing when there is none). */
  readonly kubernetes: At;
  /** Kiln components by Kiln key. */
  readonly components: Record<string, Component>;
  /** KFP component key → Kiln component key (undefined: refused). */
  readonly componentKeys: Map<string, string | undefined>;
  /** Kiln component keys given out so far (KFP writes one component per task: thousands in big pipelines). */
  readonly usedKeys: Set<string>;
  /** KFP component key → settings every task using it gets (its executor's env/resources, its platform config). */
  readonly taskDefaults: Map<string, TaskSettings>;
  /** Sub-pipeline components being translated, to catch components that use themselves. */
  readonly inProgress: Set<string>;
}

export type GroupKind = 'loop' | 'condition' | 'branches' | 'exitHandler';

/** How a task of a KFP DAG becomes Kiln: a component task, or a group inlined as control flow. */
export type TaskKind =
  | { kind: 'executor'; componentKey: string }
  | { kind: 'subPipeline'; componentKey: string }
  | { kind: GroupKind; componentKey: string; component: At };

/** A KFP group inlined into Kiln. */
export interface Group {
  readonly id: string;
  readonly kind: GroupKind;
  /** The group task in the enclosing DAG (its `inputs` bind the group component's inputs). */
  readonly task: At;
  /** The group's component spec. */
  readonly component: At;
  /** Loops: the name the body uses for the current item. */
  readonly itemInput?: string;
}

/** Where a component input name is resolved: a pipeline (root or sub-pipeline), or an inlined group. */
export type Owner = { kind: 'pipeline' } | { kind: 'group'; group: Group; parent: DagContext };

/** A KFP DagSpec being translated, and whose inputs it sees. */
export interface DagContext {
  readonly t: Translation;
  /** The DagSpec (`dag` of a component, or of `root`). */
  readonly dag: At;
  readonly owner: Owner;
}

/** The scope of an inlined group's DAG. */
export function groupContext(parent: DagContext, group: Group): DagContext {
  return { t: parent.t, dag: group.component.child('dag'), owner: { kind: 'group', group, parent } };
}

const BRANCHES = /^condition-branches-\d+$/;
const EXIT_HANDLER = /^exit-handler-\d+$/;

/**
 * What a KFP task is. Loops and conditions are recognised by their iterator and
 * trigger condition (KFP puts those only on group tasks); if/elif/else chains
 * and exit handlers by the names the compiler gives them (an exit handler also
 * needs an exit task next to it). Any other DAG component is a pipeline used as
 * a component.
 */
export function classify(ctx: DagContext, name: string, task: At): TaskKind | undefined {
  const ref = task.child('componentRef');
  ref.only({ name: null });
  const componentKey = ref.child('name').string();
  if (!componentKey) return ref.refuse('componentRef', 'the task names no component');
  const component = ctx.t.spec.child('components').child(componentKey);
  if (component.missing) return ref.refuse('componentRef', `component "${componentKey}" is not in components`);
  const iterates = !task.child('parameterIterator').missing || !task.child('artifactIterator').missing;
  const condition = task.child('triggerPolicy').child('condition');
  if (component.child('dag').missing) {
    if (component.child('executorLabel').missing) {
      return ref.refuse('componentRef', `component "${componentKey}" has neither an executorLabel nor a dag`);
    }
    if (iterates)
      return task.refuse('dsl.ParallelFor', 'an iterator on a component task (KFP puts it on a loop group)');
    if (!condition.missing) {
      return condition.refuse('dsl.If', 'a trigger condition on a component task (KFP puts it on a condition group)');
    }
    return { kind: 'executor', componentKey };
  }
  if (iterates) return { kind: 'loop', componentKey, component };
  if (!condition.missing) return { kind: 'condition', componentKey, component };
  if (BRANCHES.test(name)) return { kind: 'branches', componentKey, component };
  if (EXIT_HANDLER.test(name) && exitTasksOf(ctx, name).length > 0) {
    return { kind: 'exitHandler', componentKey, component };
  }
  return { kind: 'subPipeline', componentKey };
}

/** The tasks KFP runs after exit-handler group `group` whatever happened (`ALL_UPSTREAM_TASKS_COMPLETED`). */
export function exitTasksOf(ctx: DagContext, group: string): string[] {
  const exits: string[] = [];
  for (const [name, task] of ctx.dag.child('tasks').entries()) {
    const deps = task.child('dependentTasks').value;
    const completed = task.child('triggerPolicy').child('strategy').value === 'ALL_UPSTREAM_TASKS_COMPLETED';
    if (completed && Array.isArray(deps) && deps.includes(group)) exits.push(name);
  }
  return exits;
}
