/** Starting runs: resolve the pipeline, check the parameters, start the interpreter workflow. */
import type { JsonValue, PipelineSpec } from '@kiln/ir';
import { validateSpec } from '@kiln/ir';
import { startPipelineRun, type RunOptions } from '@kiln/engine-client';
import { runOriginKey, type RunOrigin } from '@kiln/store-layout';
import type { ApiDeps } from '../deps';
import { invalidRequest, tooLarge } from '../errors';
import { invalidPipeline } from '../pipelines/ir-errors';
import { checkParams, invalidParams } from './params';

export interface RunSource {
  pipeline?: { name: string; version?: string; digest?: string };
  /** Inline IR. */
  spec?: unknown;
}

export interface ResolvedPipeline {
  spec: PipelineSpec;
  digest: string;
  version?: string;
}

/**
 * The spec a request names: a stored version (`pipeline`) or inline IR (`spec`), exactly one.
 * Inline IR is validated and stored under its digest, so the run can be retried and inspected later.
 */
export async function resolvePipeline(deps: ApiDeps, source: RunSource): Promise<ResolvedPipeline> {
  if ((source.pipeline === undefined) === (source.spec === undefined)) {
    throw invalidRequest('give exactly one of "pipeline" ({ name, version? | digest? }) or "spec" (inline IR)');
  }
  if (source.pipeline) {
    const { name, version, digest } = source.pipeline;
    return deps.registry.resolve(name, { ...(version ? { version } : {}), ...(digest ? { digest } : {}) });
  }
  const result = validateSpec(source.spec);
  if (!result.ok) throw invalidPipeline(result.errors);
  const digest = await deps.registry.putSpec(result.spec);
  return { spec: result.spec, digest };
}

/** @throws ApiError 413 (too large) or 422 (naming each bad parameter). */
export function checkRunParams(deps: ApiDeps, spec: PipelineSpec, params: Record<string, JsonValue>): void {
  const size = Buffer.byteLength(JSON.stringify(params));
  if (size > deps.limits.paramsBytes) {
    throw tooLarge(
      `parameters are ${size} bytes; at most ${deps.limits.paramsBytes} are accepted (pass big inputs as artifacts)`,
    );
  }
  const problems = checkParams(spec.params, params);
  if (problems.length > 0) throw invalidParams(spec.pipeline.name, problems);
}

export interface StartRunInput {
  pipeline: ResolvedPipeline;
  params: Record<string, JsonValue>;
  options: RunOptions;
  startedBy: string;
  retryOf?: string;
}

/**
 * Starts a run and records its origin. Only the spec, parameters and options go
 * into the workflow input: never a token or a store credential.
 *
 * @example
 * ```ts
 * const { runId } = await startRun(deps, { pipeline, params: { n: 3 }, options: {}, startedBy: 'ci' });
 * ```
 */
export async function startRun(deps: ApiDeps, input: StartRunInput): Promise<{ runId: string; workflowId: string }> {
  const handle = await startPipelineRun(deps.client, {
    taskQueue: deps.taskQueue,
    spec: input.pipeline.spec,
    params: input.params,
    options: input.options,
  });
  const origin: RunOrigin = {
    startedBy: input.startedBy,
    pipelineDigest: input.pipeline.digest,
    ...(input.pipeline.version ? { pipelineVersion: input.pipeline.version } : {}),
    ...(input.retryOf ? { retryOf: input.retryOf } : {}),
  };
  await deps.store.writeJson(runOriginKey(input.pipeline.spec.pipeline.name, handle.workflowId), origin);
  return { runId: handle.workflowId, workflowId: handle.workflowId };
}
