/**
 * KFP input bindings → Kiln bindings. A binding names either something in its
 * own DAG (a task output, a runtime constant) or an input of the component
 * that owns the DAG. For a pipeline that input is a parameter; for an inlined
 * group it is a renamed channel, followed to the group task's binding in the
 * enclosing DAG — or, in a loop body, the loop item (with `parseJson(...)["a"]`
 * selectors as item fields). Outputs of groups come back out the same way: a
 * loop's output is a `collected` fan-in, an if/elif/else's `oneOf` output is a
 * Kiln `oneOf`.
 */
import type { Binding, ConstantBinding, JsonValue } from '@kiln/ir';
import { classify, groupContext, type DagContext, type Group, type GroupKind } from './context';
import type { At } from './reader';

const IDENTITY_VALUES = new Set([
  '{{$.pipeline_job_name}}',
  '{{$.pipeline_job_resource_name}}',
  '{{$.pipeline_job_uuid}}',
  '{{$.pipeline_task_name}}',
  '{{$.pipeline_task_uuid}}',
  '{{$.pipeline_job_create_time_utc}}',
  '{{$.pipeline_job_schedule_time_utc}}',
  '{{$.workspace_path}}',
]);

/**
 * One task input (`inputs.parameters.<name>` or `inputs.artifacts.<name>`).
 * `finalStatusOf`: for an exit task, the group whose final status it may take.
 */
export function inputBinding(
  ctx: DagContext,
  spec: At,
  side: 'parameters' | 'artifacts',
  finalStatusOf?: string,
): Binding | undefined {
  if (side === 'artifacts') {
    spec.only({ taskOutputArtifact: null, componentInputArtifact: null });
    const output = spec.child('taskOutputArtifact');
    if (!output.missing) {
      output.only({ producerTask: null, outputArtifactKey: null });
      return outputRef(
        ctx,
        output.child('producerTask').string(),
        output.child('outputArtifactKey').string(),
        true,
        output,
      );
    }
    const input = spec.child('componentInputArtifact').string();
    if (input !== undefined) return componentArtifact(ctx, input, spec);
    return spec.refuse('task inputs', 'an artifact input without a source');
  }
  spec.only({
    componentInputParameter: null,
    taskOutputParameter: null,
    runtimeValue: null,
    taskFinalStatus: null,
    parameterExpressionSelector: null,
  });
  const path = selectorPath(spec.child('parameterExpressionSelector'));
  if (path === undefined) return undefined;
  const input = spec.child('componentInputParameter').string();
  if (input !== undefined) return componentParam(ctx, input, path, spec);
  if (path.length > 0) {
    return spec.refuse('parameterExpressionSelector', 'a field selector on something other than a loop item');
  }
  const output = spec.child('taskOutputParameter');
  if (!output.missing) {
    output.only({ producerTask: null, outputParameterKey: null });
    return outputRef(
      ctx,
      output.child('producerTask').string(),
      output.child('outputParameterKey').string(),
      false,
      output,
    );
  }
  if (!spec.child('runtimeValue').missing) return constant(spec.child('runtimeValue'));
  const status = spec.child('taskFinalStatus');
  if (!status.missing) {
    status.only({ producerTask: null });
    if (finalStatusOf !== undefined && status.child('producerTask').string() === finalStatusOf)
      return { kind: 'finalStatus' };
    return status.refuse(
      'dsl.PipelineTaskFinalStatus',
      'a final status outside an exit handler, or of a task other than the group the exit handler guards',
    );
  }
  return spec.refuse('task inputs', 'a parameter input without a source');
}

function constant(at: At): ConstantBinding | undefined {
  at.only({ constant: null, constantValue: null, runtimeParameter: 'runtime parameters (deprecated)' });
  let value: unknown = at.child('constant').value;
  if (value === undefined) {
    const legacy = at.child('constantValue');
    legacy.only({ intValue: null, doubleValue: null, stringValue: null });
    value = legacy.child('stringValue').value ?? legacy.child('intValue').number() ?? legacy.child('doubleValue').value;
  }
  if (value === undefined) return at.refuse('task inputs', 'a runtime value without a constant');
  if (typeof value === 'string' && IDENTITY_VALUES.has(value)) {
    return at.refuse(
      `${value} as an input value`,
      'Kiln substitutes identity placeholders in commands only (runId(), pipelineName(), taskId()), not in input values',
    );
  }
  if (JSON.stringify(value).includes('{{$.workspace_path}}')) {
    return at.refuse('dsl.WORKSPACE_PATH_PLACEHOLDER (pipeline workspaces)', 'Kiln has no pipeline workspace');
  }
  if (JSON.stringify(value).includes('{{$.inputs.parameters[')) {
    return at.refuse(
      'pipeline channels inside a constant (f-string input values)',
      'Kiln has no string interpolation of upstream values; compute the string in a component',
    );
  }
  return { kind: 'constant', value: value as JsonValue };
}

/** `parseJson(string_value)["a"]["b"]` → `['a', 'b']` (what KFP writes for loop item fields). */
function selectorPath(at: At): string[] | undefined {
  const text = at.string();
  if (text === undefined || text === '') return [];
  const m = /^parseJson\(string_value\)((\["[^"\]]*"\])+)$/.exec(text);
  if (!m)
    return at.refuse(
      'parameterExpressionSelector',
      `"${text}" is not a field selector (parseJson(string_value)["field"])`,
    );
  return [...(m[1] as string).matchAll(/\["([^"\]]*)"\]/g)].map((k) => k[1] as string);
}

/** An input parameter of the component owning `ctx`'s DAG, with an optional item-field path. */
export function componentParam(ctx: DagContext, name: string, path: string[], at: At): Binding | undefined {
  const owner = ctx.owner;
  if (owner.kind === 'pipeline') {
    if (path.length > 0) return at.refuse('parameterExpressionSelector', 'a field selector on a pipeline parameter');
    return { kind: 'param', name };
  }
  const { group, parent } = owner;
  if (group.kind === 'loop' && name === group.itemInput) {
    return { kind: 'loopItem', loop: group.id, ...(path.length > 0 && { path }) };
  }
  const bound = group.task.child('inputs').child('parameters').child(name);
  if (bound.missing) {
    return at.refuse(
      'task inputs',
      `refers to input "${name}" of group "${group.id}", which the group task does not bind`,
    );
  }
  const outer = inputBinding(parent, bound, 'parameters');
  if (!outer || path.length === 0) return outer;
  if (outer.kind !== 'loopItem') {
    return at.refuse('parameterExpressionSelector', 'a field selector on something other than a loop item');
  }
  return { ...outer, path: [...(outer.path ?? []), ...path] };
}

function componentArtifact(ctx: DagContext, name: string, at: At): Binding | undefined {
  const owner = ctx.owner;
  if (owner.kind === 'pipeline') return { kind: 'param', name };
  const { group, parent } = owner;
  if (group.kind === 'loop' && name === group.itemInput) return { kind: 'loopItem', loop: group.id };
  const bound = group.task.child('inputs').child('artifacts').child(name);
  if (bound.missing) {
    return at.refuse(
      'task inputs',
      `refers to artifact "${name}" of group "${group.id}", which the group task does not bind`,
    );
  }
  return inputBinding(parent, bound, 'artifacts');
}

/** Output `key` of task `producer` in `ctx`'s DAG, seen from that DAG. */
export function outputRef(
  ctx: DagContext,
  producer: string | undefined,
  key: string | undefined,
  artifact: boolean,
  at: At,
): Binding | undefined {
  if (!producer || !key) return at.refuse('task inputs', 'an output reference without a producer task and key');
  const task = ctx.dag.child('tasks').child(producer);
  if (task.missing) return at.refuse('task inputs', `refers to task "${producer}", which is not in this DAG`);
  const kind = classify(ctx, producer, task);
  if (!kind) return undefined;
  if (kind.kind === 'executor' || kind.kind === 'subPipeline') return { kind: 'output', task: producer, output: key };
  const group: Group = { id: producer, kind: kind.kind, task, component: kind.component, ...itemInputOf(task) };
  const inner = groupContext(ctx, group);
  const side = inner.dag
    .child('outputs')
    .child(artifact ? 'artifacts' : 'parameters')
    .child(key);
  if (side.missing) return at.refuse('task inputs', `group "${producer}" has no output "${key}"`);
  const oneOf = group.kind === 'branches' ? producer : undefined;
  return leaveGroup(group.kind, producer, dagOutput(inner, side, artifact, at, oneOf), artifact, at);
}

/** The loop item's name inside a loop group's body. */
export function itemInputOf(task: At): { itemInput?: string } {
  const iterator = task.child('parameterIterator').missing
    ? task.child('artifactIterator')
    : task.child('parameterIterator');
  const itemInput = iterator.child('itemInput').string();
  return itemInput === undefined ? {} : { itemInput };
}

/** What a binding from inside a group becomes outside it. */
function leaveGroup(
  kind: GroupKind,
  id: string,
  inner: Binding | undefined,
  artifact: boolean,
  at: At,
): Binding | undefined {
  if (!inner) return undefined;
  if (kind === 'exitHandler') {
    return at.refuse(
      'outputs of tasks inside dsl.ExitHandler',
      `group "${id}" is an exit handler; Kiln lets no output out of it`,
    );
  }
  if (kind !== 'loop') return inner;
  if (inner.kind === 'output') return { kind: 'collected', loop: id, task: inner.task, output: inner.output };
  if (inner.kind === 'collected') {
    if (artifact) {
      return at.refuse(
        'dsl.Collected of artifacts across nested loops',
        'Kiln collects artifacts one loop level at a time',
      );
    }
    return { kind: 'collected', loop: id, task: inner.task, output: inner.output };
  }
  return at.refuse('dsl.Collected', `a ${inner.kind} value cannot be collected from loop "${id}"`);
}

/** A DAG output (`dag.outputs.parameters.<key>` / `.artifacts.<key>`) as seen from the DAG. */
export function dagOutput(
  ctx: DagContext,
  spec: At,
  artifact: boolean,
  at: At,
  oneOfCondition?: string,
): Binding | undefined {
  const selectors: { producer: string | undefined; key: string | undefined; at: At }[] = [];
  if (artifact) {
    spec.only({ artifactSelectors: null });
    for (const s of spec.child('artifactSelectors').items()) {
      s.only({ producerSubtask: null, outputArtifactKey: null });
      selectors.push({
        producer: s.child('producerSubtask').string(),
        key: s.child('outputArtifactKey').string(),
        at: s,
      });
    }
  } else {
    spec.only({ valueFromParameter: null, valueFromOneof: null });
    const single = spec.child('valueFromParameter');
    const list = single.missing ? spec.child('valueFromOneof').child('parameterSelectors').items() : [single];
    for (const s of list) {
      s.only({ producerSubtask: null, outputParameterKey: null });
      selectors.push({
        producer: s.child('producerSubtask').string(),
        key: s.child('outputParameterKey').string(),
        at: s,
      });
    }
  }
  if (selectors.length === 0) return spec.refuse('DAG outputs', 'a DAG output that selects nothing');
  const refs = selectors.map((s) => outputRef(ctx, s.producer, s.key, artifact, s.at));
  if (refs.some((r) => r === undefined)) return undefined;
  if (refs.length === 1) return refs[0];
  if (oneOfCondition === undefined) return spec.refuse('dsl.OneOf', 'several selectors outside an if/elif/else group');
  const sources = refs.filter((r): r is Extract<Binding, { kind: 'output' }> => r?.kind === 'output');
  if (sources.length !== refs.length) {
    return spec.refuse('dsl.OneOf', 'a dsl.OneOf whose branches give collected or nested oneOf values');
  }
  return { kind: 'oneOf', condition: oneOfCondition, sources };
}
