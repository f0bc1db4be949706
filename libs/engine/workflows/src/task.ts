/**
 * A component task: resolve its inputs in scope, then run it according to its
 * implementation — a step on an executor, an importer, or a sub-pipeline DAG.
 */
import type { Component, DagImpl, JsonValue, TaskNode } from '@kiln/ir';
import type { ArtifactRef } from '@kiln/engine-contract';
import type { TaskOutputs, TaskStatus } from '@kiln/engine-contract';
import { importActivities } from './activities';
import type { DagEnv, ExecutionContext } from './context';
import { runDag } from './dag';
import type { Outcome } from './outcome';
import type { Scope } from './scope';
import { artifact, artifactFor, param, type Value } from './value';
import { recordFailure } from './step-support';
import { runStep } from './step';
import { hasPatch } from './patches';

/**
 * Runs that started before this patch recorded sub-pipeline tasks under their bare
 * ids; they keep doing so for the sub-pipelines they had started, so their
 * histories replay (see `runSubPipeline`).
 */
const SUBPIPELINE_PATHS_PATCH = 'kiln-subpipeline-paths';

export interface ResolvedInputs {
  params: Record<string, JsonValue>;
  artifacts: Record<string, ArtifactRef | ArtifactRef[]>;
}

export async function runTask(
  ctx: ExecutionContext,
  id: string,
  node: TaskNode,
  scope: Scope,
  env: DagEnv,
): Promise<Outcome> {
  const component = ctx.spec.components[node.component];
  if (!component) throw new Error(`task "${id}" uses unknown component "${node.component}"`);
  const entry = ctx.recorder.add(
    scope.taskPath(id),
    component.name,
    node.settings.displayName ?? component.name,
    scope.iteration,
  );

  const inputs = resolveInputs(component, node, scope);
  if ('missing' in inputs) {
    ctx.recorder.set(entry, 'skipped', { reason: inputs.missing });
    return node.settings.ignoreUpstreamFailure ? 'skipped' : 'upstreamFailed';
  }

  let outcome: Outcome;
  switch (component.implementation.type) {
    case 'dag':
      outcome = await runSubPipeline(
        ctx,
        entry,
        node.component,
        component,
        component.implementation,
        inputs.values,
        scope,
        env,
      );
      break;
    case 'importer':
      outcome = await runImporter(ctx, entry, component, inputs.values, env);
      break;
    default:
      outcome = await runStep(ctx, node, component, entry, inputs.values, scope, env);
  }
  if (outcome === 'succeeded') scope.outputs.set(id, entry.outputs);
  return outcome;
}

/**
 * Binds every input. A binding with no value (its task was skipped or failed)
 * falls back to the input's default, or leaves an optional input out; otherwise
 * the task cannot run.
 */
function resolveInputs(
  component: Component,
  node: TaskNode,
  scope: Scope,
): { values: ResolvedInputs } | { missing: string } {
  const values: ResolvedInputs = { params: {}, artifacts: {} };
  for (const [name, spec] of Object.entries(component.inputs)) {
    const binding = node.inputs[name];
    const resolved = binding ? scope.resolve(binding) : undefined;
    if (resolved?.ok) {
      const value = resolved.value;
      if (spec.kind === 'param') values.params[name] = value.value;
      else {
        const given = artifactFor(value);
        if (!given) return { missing: `input "${name}" is an artifact, but its binding gives a parameter value` };
        values.artifacts[name] = given;
      }
      continue;
    }
    if (spec.kind === 'param' && spec.default !== undefined) values.params[name] = spec.default;
    else if (!spec.optional) {
      return { missing: `input "${name}": ${resolved && !resolved.ok ? resolved.reason : 'not bound'}` };
    }
  }
  return { values };
}

async function runSubPipeline(
  ctx: ExecutionContext,
  entry: TaskStatus,
  componentKey: string,
  component: Component,
  impl: DagImpl,
  inputs: ResolvedInputs,
  scope: Scope,
  env: DagEnv,
): Promise<Outcome> {
  ctx.recorder.set(entry, 'running', { startedAt: new Date().toISOString(), attempts: 1 });
  const params: Record<string, Value> = {};
  for (const [name, value] of Object.entries(inputs.params)) params[name] = param(value);
  for (const [name, value] of Object.entries(inputs.artifacts)) params[name] = artifact(value);
  // Inner ids are unique only within the component's DAG: without the path an inner task named like
  // an outer one shared its status entry, execution key (so the executor returned the outer task's
  // recorded output) and artifact URIs. Decided once per sub-pipeline, so its tasks agree.
  const taskPrefix = hasPatch(SUBPIPELINE_PATHS_PATCH) ? `${entry.id}/` : '';
  // Isolated: the sub-pipeline sees only its inputs, but keeps the loop position for its tasks' ids.
  // Its loop and task ids are the component's own, so its fan-ins read the component's collect paths.
  const inner = scope.subPipelineScope(params, taskPrefix, componentKey);
  const outcome = await runDag(ctx, impl.dag, inner, env);
  if (outcome !== 'succeeded') {
    ctx.recorder.set(entry, outcome === 'cancelled' ? 'cancelled' : 'failed', { error: `sub-pipeline ${outcome}` });
    return outcome === 'cancelled' ? 'cancelled' : 'upstreamFailed';
  }
  const outputs: TaskOutputs = { params: {}, artifacts: {} };
  for (const [name, binding] of Object.entries(impl.outputs)) {
    const resolved = inner.resolve(binding);
    if (!resolved.ok) continue;
    const value = resolved.value;
    if (component.outputs[name]?.kind !== 'artifact') outputs.params[name] = value.value;
    else if (value.kind === 'artifact' && !Array.isArray(value.value)) outputs.artifacts[name] = value.value;
    // A list output (`list: true`, bound to a fan-in) is a list at run time, which `TaskOutputs` does not spell out.
    else outputs.artifacts[name] = value.value as ArtifactRef;
  }
  ctx.recorder.set(entry, 'succeeded', { outputs });
  return 'succeeded';
}

async function runImporter(
  ctx: ExecutionContext,
  entry: TaskStatus,
  component: Component,
  inputs: ResolvedInputs,
  env: DagEnv,
): Promise<Outcome> {
  const impl = component.implementation;
  if (impl.type !== 'importer') throw new Error('not an importer');
  const uri = importerUri(impl.uri, inputs);
  const outputName = Object.keys(component.outputs)[0] ?? 'artifact';
  if (!uri.ok || typeof uri.value !== 'string') {
    recordFailure(ctx, entry, env, `importer URI: ${uri.ok ? 'not a string' : uri.reason}`);
    return 'failed';
  }
  ctx.recorder.set(entry, 'running', { startedAt: new Date().toISOString(), attempts: 1 });
  try {
    const imported = await importActivities.importArtifact({
      runId: ctx.run.runId,
      pipelineName: ctx.run.pipelineName,
      taskId: entry.id,
      iteration: entry.iteration ?? [],
      artifactRoot: ctx.run.artifactRoot,
      output: outputName,
      uri: uri.value,
      artifactType: impl.artifactType,
      metadata: impl.metadata ?? {},
      reimport: impl.reimport,
    });
    ctx.recorder.set(entry, 'succeeded', { outputs: { params: {}, artifacts: { [outputName]: imported } } });
    return 'succeeded';
  } catch (error) {
    recordFailure(
      ctx,
      entry,
      env,
      `import of ${uri.value} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    return 'failed';
  }
}

/** An importer's `uri` is a constant or one of the importer component's OWN inputs (IR rule), never the enclosing scope's. */
function importerUri(
  binding: { kind: 'constant'; value: JsonValue } | { kind: 'param'; name: string },
  inputs: ResolvedInputs,
): { ok: true; value: JsonValue } | { ok: false; reason: string } {
  if (binding.kind === 'constant') return { ok: true, value: binding.value };
  const value = inputs.params[binding.name];
  return value === undefined ? { ok: false, reason: `input "${binding.name}" has no value` } : { ok: true, value };
}
