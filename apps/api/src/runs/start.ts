/** Starting runs: resolve the pipeline, check the parameters, start the interpreter workflow. */
import { allows, type createRunBodySchema, type Role, type RunOrigin, type StartedRun } from '@kiln/api-contract';
import type { JsonValue, PipelineSpec } from '@kiln/ir';
import { validateSpec } from '@kiln/ir';
import { startPipelineRun, type RunOptions } from '@kiln/engine-client';
import { runOriginKey } from '@kiln/store-layout';
import type { z } from 'zod';
import type { ApiDeps } from '../deps';
import { ApiError, invalidRequest, tooLarge } from '../errors';
import { checkParamsDepth } from '../input-limits';
import { invalidPipeline } from '../pipelines/ir-errors';
import { checkParams, invalidParams } from './params';

/** A `POST /runs` body as validated. */
export type CreateRunRequest = z.output<typeof createRunBodySchema>;

/** Where a run's IR comes from: a stored pipeline, or inline IR (`spec`). */
export type RunSource = Pick<CreateRunRequest, 'pipeline' | 'spec'>;

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
  const result = validateSpec(source.spec, { limits: deps.limits.input });
  if (!result.ok) throw invalidPipeline(result.errors);
  const digest = await deps.registry.putSpec(result.spec);
  return { spec: result.spec, digest };
}

/** @throws ApiError 413 (too large) or 422 (naming each bad parameter). */
export function checkRunParams(deps: ApiDeps, spec: PipelineSpec, params: Record<string, JsonValue>): void {
  checkParamsDepth(params, deps.limits.input);
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

/**
 * `POST /runs`: the pipeline resolved, the parameters checked, the run started.
 *
 * @example
 * ```ts
 * const started = await createRun(deps, { pipeline: { name: 'training' }, params: { n: 3 } }, 'ci');
 * ```
 */
export async function createRun(deps: ApiDeps, body: CreateRunRequest, startedBy: string): Promise<StartedRun> {
  const pipeline = await resolvePipeline(deps, body);
  checkRunParams(deps, pipeline.spec, body.params);
  const { experiment, executor, cache, parallelism } = body;
  const started = await startRun(deps, {
    pipeline,
    params: body.params,
    options: {
      ...(experiment ? { experiment } : {}),
      ...(executor ? { executor } : {}),
      ...(cache !== undefined ? { cache } : {}),
      ...(parallelism ? { parallelism } : {}),
    },
    startedBy,
  });
  const { name } = pipeline.spec.pipeline;
  return {
    ...started,
    pipeline: { name, digest: pipeline.digest, ...(pipeline.version ? { version: pipeline.version } : {}) },
  };
}

/**
 * Inline IR is new code for the worker to run: only a role that may upload pipelines (admin, or
 * the configured `inlineSpecRole`) may send it; an operator runs what an admin stored.
 *
 * @throws ApiError 403 `forbidden`, naming the token, its role and the role needed.
 * @example
 * ```ts
 * if (body.spec !== undefined) checkInlineSpecRole(deps, request.principal);
 * ```
 */
export function checkInlineSpecRole(deps: ApiDeps, principal: { name: string; role: Role } | undefined): void {
  const needed = deps.inlineSpecRole ?? 'admin';
  if (principal && allows(principal.role, needed)) return;
  throw new ApiError(
    403,
    'forbidden',
    `token "${principal?.name ?? 'anonymous'}" has role ${principal?.role ?? 'none'}; a run from inline IR ("spec") needs ${needed}, ` +
      'the role that uploads pipelines: upload the pipeline (POST /pipelines) and run it by name, or ask an admin',
    { role: principal?.role ?? null, required: needed },
  );
}
