/**
 * `kilnPipelineRun`: the one workflow that runs any compiled pipeline.
 */
import type { JsonValue } from '@kiln/ir';
import {
  ApplicationFailure,
  CancellationScope,
  CancelledFailure,
  patched,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { ArtifactRef } from '@kiln/engine-contract';
import type { PipelineRunInput } from '@kiln/engine-contract';
import { statusQuery } from '@kiln/engine-contract';
import { INVALID_PARAMS, RUN_FAILED } from '@kiln/engine-contract';
import { KilnExperiment, KilnPipelineDigest, KilnPipelineName, KilnRunStatus } from '@kiln/engine-contract';
import type { RunState, RunStatusDocument, TaskOutputs } from '@kiln/engine-contract';
import { storeActivities } from './activities';
import { COLLECT_PATHS_PATCH, legacyCollectPaths } from './collect-paths';
import type { ExecutionContext, ResolvedRun } from './context';
import { runDag } from './dag';
import { createContext } from './execution';
import { checkParams } from './params';
import { Scope } from './scope';

const MAX_PARALLELISM = 1000;

/**
 * Interprets `input.spec`: validates parameters, runs the root DAG, saves the
 * run record and returns the final run status document. Fails (type
 * `KilnRunFailed`, the document in `details[0]`) naming the failed tasks; ends
 * CANCELLED when cancelled, after running exit handlers.
 *
 * @example
 * ```ts
 * const doc = await client.workflow.execute(kilnPipelineRun, {
 *   taskQueue: 'kiln', workflowId: newWorkflowId(spec.pipeline.name),
 *   args: [{ spec, params: {}, options: { executor: 'local' } }],
 * });
 * ```
 */
export async function kilnPipelineRun(input: PipelineRunInput): Promise<RunStatusDocument> {
  const { spec, options } = input;
  const info = workflowInfo();
  const checked = checkParams(spec.params, input.params ?? {});
  if (checked.errors.length > 0) {
    throw ApplicationFailure.nonRetryable(
      `Invalid parameters for pipeline "${spec.pipeline.name}": ${checked.errors.join('; ')}`,
      INVALID_PARAMS,
      checked.errors,
    );
  }
  const runId = options.runId ?? info.workflowId;
  const startedAt = new Date().toISOString();
  // What the status query reads; filled in as the run progresses.
  const live: {
    state: RunState;
    digest: string;
    error?: string;
    finishedAt?: string;
    outputs?: TaskOutputs;
    ctx?: ExecutionContext;
  } = { state: 'PENDING', digest: '' };
  // Registered before the first await, so the run answers from its first moment.
  const document = (): RunStatusDocument => ({
    runId,
    workflowId: info.workflowId,
    pipeline: { name: spec.pipeline.name, digest: live.digest },
    params: checked.values,
    state: live.state,
    startedAt,
    ...(live.finishedAt ? { finishedAt: live.finishedAt } : {}),
    ...(live.error ? { error: live.error } : {}),
    ...(options.experiment ? { experiment: options.experiment } : {}),
    tasks: live.ctx?.recorder.tasks() ?? [],
    ...(live.outputs ? { outputs: live.outputs } : {}),
  });
  setHandler(statusQuery, document);

  upsertSearchAttributes([
    { key: KilnPipelineName, value: spec.pipeline.name },
    { key: KilnRunStatus, value: 'RUNNING' },
    ...(options.experiment ? [{ key: KilnExperiment, value: options.experiment }] : []),
  ]);

  const context = await storeActivities.resolveRunContext({
    runId,
    workflowId: info.workflowId,
    spec,
    ...(options.artifactRoot ? { artifactRoot: options.artifactRoot } : {}),
  });
  live.digest = context.pipelineDigest;
  upsertSearchAttributes([{ key: KilnPipelineDigest, value: live.digest }]);

  const run: ResolvedRun = {
    runId,
    workflowId: info.workflowId,
    pipelineName: spec.pipeline.name,
    pipelineDigest: live.digest,
    artifactRoot: (options.artifactRoot ?? context.artifactRoot).replace(/\/+$/, ''),
    executor: options.executor ?? spec.settings.executor ?? 'local',
    // Temporal allows 2,000 pending activities per workflow; stay well clear of it.
    parallelism: Math.max(1, Math.min(options.parallelism ?? spec.settings.parallelism ?? 32, MAX_PARALLELISM)),
    cache: options.cache !== false,
    loopBatchSize: Math.max(1, options.loopBatchSize ?? 100),
    loopFanout: Math.max(2, options.loopFanout ?? 100),
    failFast: spec.settings.failFast === true,
    infrastructureRetry: {
      maxAttempts: options.infrastructureRetry?.maxAttempts ?? 5,
      initialIntervalSeconds: options.infrastructureRetry?.initialIntervalSeconds ?? 1,
      maxIntervalSeconds: options.infrastructureRetry?.maxIntervalSeconds ?? 60,
    },
    heartbeatTimeoutSeconds: options.heartbeatTimeoutSeconds ?? 30,
    ...(spec.settings.podTtlSeconds !== undefined ? { podTtlSeconds: spec.settings.podTtlSeconds } : {}),
    params: checked.values,
  };
  const ctx = createContext(spec, run, spec.pipeline.displayName ?? spec.pipeline.name);
  // Runs started before collect paths were kept per DAG owner replay with the table they used.
  if (!patched(COLLECT_PATHS_PATCH)) ctx.collectPaths = legacyCollectPaths(spec);
  live.ctx = ctx;
  live.state = 'RUNNING';

  const root = Scope.root(checked.values, ctx.collectPaths);
  // The body runs in its own scope so the run's timeout can stop it the way a
  // cancellation would (exit handlers still run) while the run ends FAILED.
  const body = new CancellationScope();
  const timeoutSeconds = spec.settings.timeoutSeconds;
  if (timeoutSeconds) {
    sleep(timeoutSeconds * 1000).then(
      () => {
        ctx.timedOut = true;
        ctx.cancelRequested = true;
        body.cancel();
      },
      () => undefined, // the run itself was cancelled first
    );
  }
  await body.run(() => runDag(ctx, spec.root, root, { cleanup: false, failureSinks: [] }));

  if (ctx.timedOut) {
    live.state = 'FAILED';
    live.error = `run timed out after ${timeoutSeconds} s${ctx.failedTasks.length ? `; failed tasks: ${ctx.failedTasks.join(', ')}` : ''}`;
  } else if (ctx.cancelRequested) {
    live.state = 'CANCELLED';
    live.error = 'run cancelled';
  } else if (ctx.failedTasks.length > 0) {
    live.state = 'FAILED';
    live.error = `${ctx.failedTasks.length} task(s) failed: ${ctx.failedTasks.join(', ')}`;
  } else {
    live.state = 'SUCCEEDED';
    live.outputs = pipelineOutputs(input, root);
  }
  live.finishedAt = new Date().toISOString();
  upsertSearchAttributes([{ key: KilnRunStatus, value: live.state }]);
  const final = document();
  // The record must be saved even when the run was cancelled.
  await CancellationScope.nonCancellable(() => storeActivities.saveRunRecord(final));

  if (live.state === 'CANCELLED') throw new CancelledFailure('run cancelled');
  if (live.state === 'FAILED') {
    throw ApplicationFailure.nonRetryable(`Pipeline "${spec.pipeline.name}" failed: ${live.error}`, RUN_FAILED, final);
  }
  return final;
}

function pipelineOutputs(input: PipelineRunInput, root: Scope): TaskOutputs {
  const outputs: TaskOutputs = { params: {}, artifacts: {} };
  for (const [name, binding] of Object.entries(input.spec.outputs)) {
    const resolved = root.resolve(binding);
    if (!resolved.ok) continue;
    const value = resolved.value;
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && 'uri' in value && 'type' in value) {
      outputs.artifacts[name] = value as ArtifactRef;
    } else {
      outputs.params[name] = value as JsonValue;
    }
  }
  return outputs;
}
