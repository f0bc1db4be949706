/**
 * The request one attempt of a step sends to its executor: everything the
 * executor needs, resolved by the workflow, nothing it has to look up.
 */
import type { ArtifactType, Component, ParamType, TaskNode } from '@kiln/ir';
import type { StepRequest, TaskStatus } from '@kiln/engine-contract';
import type { ExecutionContext } from './context';
import type { Scope } from './scope';
import type { ResolvedInputs } from './task';

/** Where a step runs and what it is: the parts of a request that do not change between attempts. */
export interface StepRequestSource {
  ctx: ExecutionContext;
  node: TaskNode;
  component: Component;
  entry: TaskStatus;
  inputs: ResolvedInputs;
  scope: Scope;
  /** What the Temporal UI shows for the step, e.g. "train-model [3/10]". */
  summary: string;
}

/**
 * The {@link StepRequest} of one attempt: its identity (run, task path, iteration,
 * attempt, artifact root), from which the executor derives its store locations.
 *
 * @example
 * ```ts
 * const request = buildStepRequest({ ctx, node, component, entry, inputs, scope, summary }, 2);
 * await stepActivities.runStep(request);
 * ```
 */
export function buildStepRequest(source: StepRequestSource, attempt: number): StepRequest {
  const { ctx, node, component, entry, inputs, scope, summary } = source;
  const outputTypes = outputsOf(component);
  return {
    runId: ctx.run.runId,
    workflowId: ctx.run.workflowId,
    pipelineName: ctx.run.pipelineName,
    taskId: entry.id,
    iteration: scope.iteration,
    attempt,
    artifactRoot: ctx.run.artifactRoot,
    summary,
    componentId: node.component,
    component,
    inputs,
    outputs: {
      params: outputTypes.params,
      // The executor derives each attempt's output URIs from the identity above (@kiln/store-layout).
      artifacts: mapValues(outputTypes.artifacts, (type) => ({ type })),
    },
    settings: node.settings,
    executor: ctx.run.executor,
    ...(ctx.run.podTtlSeconds !== undefined ? { podTtlSeconds: ctx.run.podTtlSeconds } : {}),
  };
}

/** A component's outputs split into parameter types and artifact types. */
export function outputsOf(component: Component): {
  params: Record<string, ParamType>;
  artifacts: Record<string, ArtifactType>;
} {
  const params: Record<string, ParamType> = {};
  const artifacts: Record<string, ArtifactType> = {};
  for (const [name, spec] of Object.entries(component.outputs)) {
    if (spec.kind === 'param') params[name] = spec.type;
    else artifacts[name] = spec.type;
  }
  return { params, artifacts };
}

export function mapValues<T, U>(record: Record<string, T>, fn: (value: T, key: string) => U): Record<string, U> {
  const out: Record<string, U> = {};
  for (const [key, value] of Object.entries(record)) out[key] = fn(value, key);
  return out;
}
