/**
 * One container or python task on an executor: cache lookup, then attempts.
 *
 * Two retry layers, kept apart on purpose (DESIGN.md section 4):
 * - infrastructure errors retry the SAME attempt through Temporal's activity
 *   retry policy (`KilnInfrastructureError`; user and configuration errors are
 *   listed as non-retryable there);
 * - user failures (non-zero exit, OOM, timeout) are retried HERE per the task's
 *   retry policy, each retry a new attempt with its own number, output URIs and
 *   status entry, with the task's backoff between them.
 * Configuration errors never retry.
 */
import type { Component, TaskNode } from '@kiln/ir';
import { ActivityCancellationType, CancellationScope, isCancellation, sleep } from '@temporalio/workflow';
import {
  classifyStepFailure,
  nonRetryableStepFailureTypes,
  retriedByWorkflow,
  type ClassifiedFailure,
  type StepResult,
} from '@kiln/engine-contract';
import type { TaskStatus } from '@kiln/engine-contract';
import { stepActivities, storeActivities } from './activities';
import { stopReason, type DagEnv, type ExecutionContext } from './context';
import type { Outcome } from './outcome';
import type { Scope } from './scope';
import { recordFailure } from './step-support';
import { buildStepRequest, mapValues, outputsOf } from './step-request';
import type { ResolvedInputs } from './task';

export async function runStep(
  ctx: ExecutionContext,
  node: TaskNode,
  component: Component,
  entry: TaskStatus,
  inputs: ResolvedInputs,
  scope: Scope,
  env: DagEnv,
): Promise<Outcome> {
  const outputTypes = outputsOf(component);
  const caching = ctx.run.cache && node.settings.caching?.enabled !== false;
  let fingerprint: string | undefined;
  if (caching) {
    const lookup = await storeActivities.lookupCache({
      pipelineName: ctx.run.pipelineName,
      taskId: entry.id,
      component,
      inputs,
      outputs: { params: outputTypes.params, artifacts: mapValues(outputTypes.artifacts, (type) => ({ type })) },
      ...(node.settings.caching?.key !== undefined ? { key: node.settings.caching.key } : {}),
      ...(node.settings.caching?.maxStalenessSeconds !== undefined
        ? { maxStalenessSeconds: node.settings.caching.maxStalenessSeconds }
        : {}),
    });
    fingerprint = lookup.fingerprint;
    if (lookup.hit) {
      const now = new Date().toISOString();
      ctx.recorder.set(entry, 'cached', {
        cached: true,
        startedAt: now,
        outputs: lookup.hit.result.outputs,
        exitCode: lookup.hit.result.exitCode,
        reason: `cache hit from run ${lookup.hit.runId}`,
      });
      return 'succeeded';
    }
  }

  const retry = node.settings.retry;
  const userAttempts = retry?.retryOn.includes('user') ? retry.maxAttempts : 1;
  const infraRetries = !retry || retry.retryOn.includes('infrastructure');
  const size = scope.loopSizes.length ? scope.loopSizes[scope.loopSizes.length - 1] : undefined;
  const position = scope.iteration.length ? scope.iteration[scope.iteration.length - 1] : undefined;
  // Inside a sub-pipeline, the path tells this step apart from an outer task of the same name.
  const label = `${scope.taskPrefix}${entry.displayName}`;
  const summary = size !== undefined && position !== undefined ? `${label} [${position + 1}/${size}]` : label;

  for (let attempt = 1; ; attempt++) {
    await ctx.slots.acquire();
    let result: StepResult | undefined;
    let failure: ClassifiedFailure | undefined;
    try {
      if (!env.cleanup && (ctx.cancelRequested || ctx.failFastTriggered)) {
        ctx.recorder.set(entry, attempt === 1 ? 'skipped' : 'cancelled', {
          reason: ctx.cancelRequested ? stopReason(ctx) : 'not started: failFast after a failure',
        });
        return ctx.cancelRequested ? 'cancelled' : 'upstreamFailed';
      }
      const request = buildStepRequest({ ctx, node, component, entry, inputs, scope, summary }, attempt);
      ctx.recorder.set(entry, 'running', {
        attempts: attempt,
        ...(attempt === 1 ? { startedAt: new Date().toISOString() } : {}),
      });
      const timeout = node.settings.timeoutSeconds;
      // Cleanup steps (exit handlers) must not be stopped by failFast; everything else can be.
      const stepScope = new CancellationScope();
      if (!env.cleanup) ctx.running.add(stepScope);
      try {
        result = await stepScope.run(() =>
          stepActivities.runStep.executeWithOptions(
            {
              summary,
              // The step's timeout bounds the attempt including its infrastructure retries: a
              // step that hangs past it must fail, not start over.
              ...(timeout
                ? { startToCloseTimeout: `${timeout} seconds`, scheduleToCloseTimeout: `${timeout} seconds` }
                : { startToCloseTimeout: '7 days' }),
              heartbeatTimeout: `${ctx.run.heartbeatTimeoutSeconds} seconds`,
              // Wait for the executor to stop the step (delete the pod) before moving on.
              cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
              retry: {
                initialInterval: `${ctx.run.infrastructureRetry.initialIntervalSeconds} seconds`,
                maximumInterval: `${ctx.run.infrastructureRetry.maxIntervalSeconds} seconds`,
                backoffCoefficient: 2,
                maximumAttempts: infraRetries ? ctx.run.infrastructureRetry.maxAttempts : 1,
                nonRetryableErrorTypes: [...nonRetryableStepFailureTypes],
              },
            },
            [request],
          ),
        );
      } catch (error) {
        failure = classifyStepFailure(error);
      } finally {
        ctx.running.delete(stepScope);
      }
    } finally {
      ctx.slots.release();
    }

    if (result) {
      ctx.recorder.set(entry, 'succeeded', {
        outputs: result.outputs,
        exitCode: result.exitCode,
        executor: result.executor,
        ...(result.pod ? { pod: result.pod } : {}),
        error: undefined,
      });
      if (fingerprint) {
        const saved = fingerprint;
        // Saving the cache entry is bookkeeping: a cancelled run still records what it finished.
        await CancellationScope.nonCancellable(() =>
          storeActivities.saveCache({
            fingerprint: saved,
            runId: ctx.run.runId,
            taskId: entry.id,
            result: result as StepResult,
          }),
        );
      }
      return 'succeeded';
    }

    const f = failure as ClassifiedFailure;
    const detail = {
      ...(f.details?.exitCode !== undefined ? { exitCode: f.details.exitCode } : {}),
      ...(f.details?.pod ? { pod: f.details.pod } : {}),
    };
    const error = describeFailure(f, attempt);
    if (f.kind === 'cancelled') {
      ctx.recorder.set(entry, 'cancelled', {
        ...detail,
        reason: ctx.cancelRequested ? stopReason(ctx) : 'stopped by failFast',
      });
      return 'cancelled';
    }
    const retryable = retriedByWorkflow(f.kind) && attempt < userAttempts;
    if (!retryable || (!env.cleanup && (ctx.cancelRequested || ctx.failFastTriggered))) {
      recordFailure(ctx, entry, env, error, detail);
      return 'failed';
    }
    ctx.recorder.set(entry, 'pending', { ...detail, error });
    try {
      await sleep(backoffMs(retry, attempt));
    } catch (e) {
      if (!isCancellation(e)) throw e;
      ctx.recorder.set(entry, 'cancelled', { reason: stopReason(ctx) });
      return 'cancelled';
    }
  }
}

function describeFailure(f: ClassifiedFailure, attempt: number): string {
  const parts = [`attempt ${attempt}: ${f.kind} failure: ${f.message}`];
  if (f.details?.exitCode !== undefined) parts.push(`exit code ${f.details.exitCode}`);
  if (f.details?.logTail) parts.push(`log tail:\n${f.details.logTail}`);
  return parts.join('; ');
}

function backoffMs(retry: TaskNode['settings']['retry'], attempt: number): number {
  if (!retry) return 1000;
  const seconds = Math.min(retry.initialBackoffSeconds * retry.backoffFactor ** (attempt - 1), retry.maxBackoffSeconds);
  // Timers need a positive duration; a zero backoff still yields one workflow task.
  return Math.max(1, Math.round(seconds * 1000));
}
