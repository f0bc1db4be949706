/**
 * Test activities for engine-semantics tests. The workflow, the Temporal server
 * and the worker are real; only step execution is simulated, so each test can
 * pick a behaviour exactly and run in milliseconds. The one component used,
 * `fake`, is driven by its input parameters:
 *
 * - `value`: echoed into every output parameter (default: the task id)
 * - `sleepMs`: run this long, heartbeating, honouring cancellation
 * - `exitCode`: fail as a user error with this exit code
 * - `failAttempts`: fail as a user error while `req.attempt <= failAttempts`
 * - `infraFailures`: fail as an infrastructure error while Temporal's attempt <= this
 * - `configError`: fail as a configuration error
 * - `stoppedPod`: when cancelled, name this pod in the cancellation's details, as the Kubernetes executor does
 *
 * Like the real executors, a step whose `executionKey` already succeeded returns
 * its recorded result without running again (that is what makes a retried
 * activity safe), so two tasks handed the same key get the same outputs.
 * The store-backed activities keep their state in memory.
 */
import { createHash } from 'node:crypto';
import { CancelledFailure, Context } from '@temporalio/activity';
import type { JsonValue } from '@kiln/ir';
import {
  stepFailure,
  type ArtifactRef,
  type CachedStep,
  type KilnActivities,
  type LegacyStepRequest,
  type RunStatusDocument,
  type StepRequest,
  type StepResult,
} from '@kiln/engine-contract';
import { locateStep } from '@kiln/store-layout';

export interface StepCall {
  taskId: string;
  executionKey: string;
  iteration: number[];
  attempt: number;
  temporalAttempt: number;
  summary: string;
  startedAt: number;
  finishedAt?: number;
  outcome?: 'succeeded' | 'failed' | 'cancelled';
  params: Record<string, JsonValue>;
  /** The input artifacts the step received (a list for fan-in inputs). */
  artifacts: StepRequest['inputs']['artifacts'];
  /** Where the step writes its output artifacts (derived from its identity, as a real executor does). */
  outputUris: Record<string, string>;
  podTtlSeconds?: number;
  /** The step did not run: its execution key had a recorded result. */
  replayedRecord?: boolean;
}

export interface FakeLog {
  calls: StepCall[];
  maxConcurrent: number;
  records: RunStatusDocument[];
  cache: Map<string, CachedStep>;
}

const sha = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

export function createFakeActivities(): { activities: KilnActivities; log: FakeLog } {
  const log: FakeLog = { calls: [], maxConcurrent: 0, records: [], cache: new Map() };
  const executorOutputs = new Map<string, StepResult>();
  let running = 0;

  // Thrown as the executors throw them, so the workflow meets the real retry decisions.
  const userError = (message: string, exitCode: number) =>
    stepFailure({ failureClass: 'user', reason: 'Error', message, exitCode, logTail: message });

  async function runStep(request: StepRequest | LegacyStepRequest): Promise<StepResult> {
    // Like the real executors: the execution key and output URIs follow from the attempt's identity.
    const req = locateStep(request);
    const ctx = Context.current();
    const p = req.inputs.params;
    const call: StepCall = {
      taskId: req.taskId,
      iteration: req.iteration,
      attempt: req.attempt,
      temporalAttempt: ctx.info.attempt,
      summary: req.summary,
      startedAt: Date.now(),
      params: p,
      artifacts: req.inputs.artifacts,
      executionKey: req.executionKey,
      outputUris: Object.fromEntries(Object.entries(req.outputs.artifacts).map(([name, o]) => [name, o.uri])),
      ...(req.podTtlSeconds !== undefined ? { podTtlSeconds: req.podTtlSeconds } : {}),
    };
    log.calls.push(call);
    const recorded = executorOutputs.get(req.executionKey);
    if (recorded) {
      call.replayedRecord = true;
      call.outcome = 'succeeded';
      call.finishedAt = Date.now();
      return recorded;
    }
    running++;
    log.maxConcurrent = Math.max(log.maxConcurrent, running);
    try {
      if (p['configError']) {
        throw stepFailure({ failureClass: 'configuration', reason: 'BadConfig', message: 'bad config' });
      }
      if (typeof p['infraFailures'] === 'number' && ctx.info.attempt <= p['infraFailures']) {
        throw stepFailure({ failureClass: 'infrastructure', reason: 'NodeLost', message: 'node lost' });
      }
      if (typeof p['failAttempts'] === 'number' && req.attempt <= p['failAttempts']) {
        throw userError(`flaky failure on attempt ${req.attempt}`, 1);
      }
      if (typeof p['sleepMs'] === 'number') {
        const until = Date.now() + p['sleepMs'];
        while (Date.now() < until) {
          ctx.heartbeat();
          try {
            await ctx.sleep(Math.min(50, until - Date.now()));
          } catch (error) {
            if (typeof p['stoppedPod'] !== 'string' || !(error instanceof CancelledFailure)) throw error;
            throw new CancelledFailure(error.message, [
              { reason: 'Cancelled', pod: { namespace: 'fake', name: p['stoppedPod'] } },
            ]);
          }
        }
      }
      if (typeof p['exitCode'] === 'number' && p['exitCode'] !== 0)
        throw userError(`exited with ${p['exitCode']}`, p['exitCode']);
      const outParams: Record<string, JsonValue> = {};
      for (const name of Object.keys(req.outputs.params)) outParams[name] = p['value'] ?? req.taskId;
      const artifacts: Record<string, ArtifactRef> = {};
      for (const [name, out] of Object.entries(req.outputs.artifacts)) {
        artifacts[name] = { uri: out.uri, type: out.type, digest: sha(out.uri), metadata: { producedBy: req.taskId } };
      }
      call.outcome = 'succeeded';
      const result: StepResult = {
        exitCode: 0,
        outputs: { params: outParams, artifacts },
        startedAt: new Date(call.startedAt).toISOString(),
        finishedAt: new Date().toISOString(),
        executor: req.executor,
      };
      executorOutputs.set(req.executionKey, result);
      return result;
    } catch (error) {
      call.outcome = ctx.cancellationSignal.aborted ? 'cancelled' : 'failed';
      throw error;
    } finally {
      call.finishedAt = Date.now();
      running--;
    }
  }

  const activities: KilnActivities = {
    runStep,
    async importArtifact(req) {
      return { uri: req.uri, type: req.artifactType, digest: sha(req.uri), metadata: req.metadata };
    },
    async lookupCache(req) {
      const fingerprint = sha(JSON.stringify([req.component.implementation, req.inputs, req.outputs, req.key ?? '']));
      const hit = log.cache.get(fingerprint);
      const fresh =
        hit &&
        (req.maxStalenessSeconds === undefined ||
          Date.now() - Date.parse(hit.createdAt) <= req.maxStalenessSeconds * 1000);
      return fresh ? { fingerprint, hit } : { fingerprint };
    },
    async saveCache(req) {
      log.cache.set(req.fingerprint, { result: req.result, runId: req.runId, createdAt: new Date().toISOString() });
    },
    async saveRunRecord(doc) {
      log.records.push(doc);
    },
    async resolveRunContext(req) {
      return { artifactRoot: 'file:///tmp/kiln-engine-test', pipelineDigest: sha(JSON.stringify(req.spec)) };
    },
  };
  return { activities, log };
}
