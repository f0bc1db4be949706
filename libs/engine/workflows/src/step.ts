/**
 * One container or python task on an executor: cache lookup, then attempts.
 *
 * Two retry layers, kept apart on purpose (DESIGN.md section 4; who retries
 * which `FailureClass` is decided once, in the contract's `failureRetry`):
 * - infrastructure errors retry the SAME attempt through Temporal's activity
 *   retry policy (user and configuration errors are listed as non-retryable
 *   there);
 * - user failures (non-zero exit, OOM, timeout) are retried HERE per the task's
 *   retry policy, each retry a new attempt with its own number, output URIs and
 *   status entry, with the task's backoff between them.
 * Configuration errors never retry.
 */
import type { Component, TaskNode } from '@kiln/ir';
import { ActivityCancellationType, CancellationScope, isCancellation, sleep } from '@temporalio/workflow';
import type { ActivityOptions } from '@temporalio/workflow';
import {
  classifyStepFailure,
  nonRetryableStepFailureTypes,
  retriedByWorkflow,
  type ClassifiedFailure,
  type StepResult,
  type TaskStatus,
} from '@kiln/engine-contract';
import { stepActivities } from './activities';
import { attemptFailed, attemptStarted, attemptSucceeded } from './attempt-history';
import { stopReason, type DagEnv, type ExecutionContext } from './context';
import type { Outcome } from './outcome';
import type { Scope } from './scope';
import { lookUpCache, saveToCache } from './step-cache';
import { buildStepRequest, type StepRequestSource } from './step-request';
import { backoffMs, describeFailure, infrastructureRetries, userAttempts } from './step-retry';
import { recordFailure } from './step-support';
import type { ResolvedInputs } from './task';

/** How one attempt ended: with the step's result, or with its failure, classified. */
export type AttemptResult = { ok: true; result: StepResult } | { ok: false; failure: ClassifiedFailure };

/** One step of the run, across its attempts. */
interface StepRun {
  ctx: ExecutionContext;
  node: TaskNode;
  entry: TaskStatus;
  env: DagEnv;
  /** What every attempt's request is built from. */
  source: StepRequestSource;
  /** The cache fingerprint to save a success under; absent when caching is off. */
  fingerprint?: string;
}

export async function runStep(
  ctx: ExecutionContext,
  node: TaskNode,
  component: Component,
  entry: TaskStatus,
  inputs: ResolvedInputs,
  scope: Scope,
  env: DagEnv,
): Promise<Outcome> {
  const summary = stepSummary(scope, entry);
  const cache = await lookUpCache(ctx, node, component, entry, inputs, summary);
  if (cache.hit) return 'succeeded';
  const step: StepRun = {
    ctx,
    node,
    entry,
    env,
    source: { ctx, node, component, entry, inputs, scope, summary },
    ...(cache.fingerprint !== undefined ? { fingerprint: cache.fingerprint } : {}),
  };
  for (let attempt = 1; ; attempt++) {
    await ctx.slots.acquire();
    let ended: AttemptResult;
    try {
      if (!env.cleanup && (ctx.cancelRequested || ctx.failFastTriggered)) return notStarted(step, attempt);
      ended = await runAttempt(step, attempt);
    } finally {
      ctx.slots.release();
    }
    if (ended.ok) return succeeded(step, ended.result);
    const next = await afterFailure(step, attempt, ended.failure);
    if (next !== 'retry') return next;
  }
}

/** What the Temporal UI shows for the step: "train-model [3/10]" inside a loop. */
function stepSummary(scope: Scope, entry: TaskStatus): string {
  const size = scope.loopSizes.length ? scope.loopSizes[scope.loopSizes.length - 1] : undefined;
  const position = scope.iteration.length ? scope.iteration[scope.iteration.length - 1] : undefined;
  // Inside a sub-pipeline, the path tells this step apart from an outer task of the same name.
  const label = `${scope.taskPrefix}${entry.displayName}`;
  return size !== undefined && position !== undefined ? `${label} [${position + 1}/${size}]` : label;
}

/** The run is stopping (cancelled, or failFast after a failure): the attempt does not start. */
function notStarted({ ctx, entry }: StepRun, attempt: number): Outcome {
  ctx.recorder.set(entry, attempt === 1 ? 'skipped' : 'cancelled', {
    reason: ctx.cancelRequested ? stopReason(ctx) : 'not started: failFast after a failure',
  });
  return ctx.cancelRequested ? 'cancelled' : 'upstreamFailed';
}

/** Runs one attempt on its executor, in a scope failFast can cancel (exit handlers' steps excepted). */
async function runAttempt(step: StepRun, attempt: number): Promise<AttemptResult> {
  const { ctx, entry, env } = step;
  const request = buildStepRequest(step.source, attempt);
  ctx.recorder.set(entry, 'running', {
    attempts: attempt,
    ...(attempt === 1 ? { startedAt: new Date().toISOString() } : {}),
  });
  attemptStarted(entry, attempt);
  const stepScope = new CancellationScope();
  if (!env.cleanup) ctx.running.add(stepScope);
  try {
    const result = await stepScope.run(() =>
      stepActivities.runStep.executeWithOptions(activityOptions(step), [request]),
    );
    attemptSucceeded(entry, result);
    return { ok: true, result };
  } catch (error) {
    const failure = classifyStepFailure(error);
    attemptFailed(entry, failure);
    return { ok: false, failure };
  } finally {
    ctx.running.delete(stepScope);
  }
}

function activityOptions({ ctx, node, source }: StepRun): ActivityOptions {
  const timeout = node.settings.timeoutSeconds;
  return {
    summary: source.summary,
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
      maximumAttempts: infrastructureRetries(node.settings.retry) ? ctx.run.infrastructureRetry.maxAttempts : 1,
      nonRetryableErrorTypes: [...nonRetryableStepFailureTypes],
    },
  };
}

async function succeeded({ ctx, entry, fingerprint, source }: StepRun, result: StepResult): Promise<Outcome> {
  ctx.recorder.set(entry, 'succeeded', {
    outputs: result.outputs,
    exitCode: result.exitCode,
    executor: result.executor,
    ...(result.pod ? { pod: result.pod } : {}),
    error: undefined,
  });
  if (fingerprint) await saveToCache(ctx, entry, fingerprint, result, source.summary);
  return 'succeeded';
}

/**
 * After a failed attempt: the task's outcome, or `'retry'` once the backoff has passed. A cancelled
 * attempt ends the task; a failure the workflow retries gets another attempt while the policy has
 * attempts left and the run is not stopping.
 */
async function afterFailure(step: StepRun, attempt: number, failure: ClassifiedFailure): Promise<Outcome | 'retry'> {
  const { ctx, entry, env } = step;
  const detail = {
    ...(failure.details?.exitCode !== undefined ? { exitCode: failure.details.exitCode } : {}),
    ...(failure.details?.pod ? { pod: failure.details.pod } : {}),
  };
  const error = describeFailure(failure, attempt);
  if (failure.kind === 'cancelled') {
    ctx.recorder.set(entry, 'cancelled', {
      ...detail,
      reason: ctx.cancelRequested ? stopReason(ctx) : 'stopped by failFast',
    });
    return 'cancelled';
  }
  const retry = step.node.settings.retry;
  const retryable = retriedByWorkflow(failure.kind) && attempt < userAttempts(retry);
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
  return 'retry';
}
