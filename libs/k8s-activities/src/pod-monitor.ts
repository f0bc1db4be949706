/**
 * Watching one attempt's pod until it settles (checklist items 3, 4, 7 and 8):
 * heartbeats on a timer, not on watch events; a durable watch wakes the loop;
 * a step cancelled by the workflow deletes its pod (saving its logs first),
 * while a worker that merely stops leaves it for the next try; the step's
 * deadline stops the pod a little before Temporal's timeout would, so the
 * failure says why.
 */
import type { Context } from '@temporalio/activity';
import { CancelledFailure } from '@temporalio/common';
import type { V1Pod } from '@kubernetes/client-node';
import type { StepFailureDetails } from '@kiln/engine-contract';
import { PodAssessor, timeMs, type PodVerdict } from './classify';
import { deletePod } from './cleanup';
import type { K8sLogger, PodExecutor } from './deps';
import type { AttachHow, PodHeartbeat } from './pod-create';
import { publisherRunning } from './pod-state';
import { PodWatch } from './pod-watch';
import type { SavedLogs } from './save-logs';

/** A verdict that ends the watch. */
export type SettledVerdict = Exclude<PodVerdict, { state: 'pending' | 'running' }>;

/** How the pod settled, and what the monitor last saw of it. */
export interface MonitorOutcome {
  verdict: SettledVerdict;
  /** The pod as last seen; `undefined` once it is gone. */
  latest: V1Pod | undefined;
  /** Whether this monitor deleted the pod (at the deadline). */
  deletedByUs: boolean;
}

/** The attempt's pod as attach found or created it. */
export interface AttachedPod {
  pod: V1Pod;
  how: AttachHow;
  uid: string;
}

export interface PodMonitorInput {
  executor: PodExecutor;
  ctx: Context;
  log: K8sLogger;
  meta: Record<string, unknown>;
  pod: { namespace: string; name: string };
  attached: AttachedPod;
  /** What the Temporal UI shows for the step, for the cancellation's message. */
  summary: string;
  timeoutSeconds?: number;
  /** When this activity started (ms); with the pod's creation, where the step's deadline counts from. */
  activityStarted: number;
  /** Saves the pod's logs to the store (once); the monitor calls it before it deletes the pod. */
  saveLogs(): Promise<SavedLogs | undefined>;
}

/** The sidecar reacts to main's exit within a poll interval; this bounds the wait for its account of a failure. */
const publisherWaitMs = 10_000;

/**
 * @example
 * ```ts
 * const { verdict, latest } = await new PodMonitor({ executor, ctx, log, meta, pod, attached, summary,
 *   activityStarted, saveLogs }).run();
 * ```
 */
export class PodMonitor {
  private latest: V1Pod | undefined;
  private detail: string;
  private deletedByUs = false;
  private publisherWaitFrom: number | undefined;
  private wake: () => void = () => undefined;
  private readonly assessor: PodAssessor;
  private readonly deadline: number;

  constructor(private readonly o: PodMonitorInput) {
    this.latest = o.attached.pod;
    this.detail = `pod ${o.attached.how}`;
    this.assessor = new PodAssessor(o.executor.timeouts);
    this.deadline = stepDeadline(o.timeoutSeconds, o.activityStarted, o.attached.pod);
  }

  /** Watches until the pod succeeds or fails; throws the cancellation when the step is cancelled or the activity stops. */
  async run(): Promise<MonitorOutcome> {
    const { ctx } = this.o;
    // Identity first: a crash right after this still lets the next try find the pod.
    ctx.heartbeat(this.heartbeat());
    const heartbeatTimer = setInterval(
      () => ctx.heartbeat(this.heartbeat()),
      this.o.executor.deps.heartbeatMs ?? 5_000,
    );
    const watch = this.startWatch();
    try {
      return await this.untilSettled();
    } finally {
      clearInterval(heartbeatTimer);
      await watch.stop();
    }
  }

  private heartbeat(): PodHeartbeat {
    const resourceVersion = this.latest?.metadata?.resourceVersion;
    return {
      ...this.o.pod,
      uid: this.o.attached.uid,
      ...(resourceVersion && { resourceVersion }),
      detail: this.detail,
    };
  }

  private startWatch(): PodWatch {
    const { executor, attached, log, meta } = this.o;
    const watch = new PodWatch({
      kc: executor.deps.kube,
      core: executor.core,
      namespace: this.o.pod.namespace,
      name: this.o.pod.name,
      watchTimeoutSeconds: executor.deps.watch?.timeoutSeconds,
      inactivityMs: executor.deps.watch?.inactivityMs,
      pollMs: executor.deps.watch?.pollMs,
      // We just read the pod: watch on from there. A reattached pod unchanged for longer than the server's
      // watch window (e.g. since an API server restart) gets 410 Gone, and the watch lists instead.
      startFrom: attached.pod.metadata?.resourceVersion,
      // A pod with our name but another uid is someone else's: ours is gone.
      onPod: (pod) => {
        this.latest = pod && pod.metadata?.uid === attached.uid ? pod : undefined;
        this.wake();
      },
      onTrouble: (what, error) => log.debug(what, { ...meta, error: error === undefined ? undefined : String(error) }),
    });
    watch.start();
    return watch;
  }

  private async untilSettled(): Promise<MonitorOutcome> {
    for (;;) {
      const verdict = this.assessor.assess(this.latest, this.deletedByUs);
      const settled = this.settledBy(verdict);
      if (settled) return this.outcome(settled);
      if (this.o.ctx.cancellationSignal.aborted) throw await this.stopOnCancellation();
      if (Date.now() > this.deadline) {
        // Main already failed and only the sidecar's account was awaited: that failure stands, not the deadline.
        return this.outcome(verdict.state === 'failed' ? verdict : await this.stopAtDeadline());
      }
      await this.nextChange();
    }
  }

  /** The verdict, if it ends the watch; otherwise notes what the pod is doing. */
  private settledBy(verdict: PodVerdict): SettledVerdict | undefined {
    if (verdict.state === 'succeeded') return verdict;
    if (verdict.state !== 'failed') {
      this.detail = `${verdict.state}: ${verdict.detail}`;
      return undefined;
    }
    // Main exited non-zero while the publish sidecar is still up: it may yet record why (the Python
    // shim's failed package install), which the exit code alone cannot tell. Wait briefly for it.
    if (verdict.failure.reason !== 'NonZeroExit' || !publisherRunning(this.latest)) return verdict;
    this.publisherWaitFrom ??= Date.now();
    if (Date.now() - this.publisherWaitFrom > publisherWaitMs) return verdict;
    this.detail = 'main container failed; waiting for the launcher sidecar to finish';
    return undefined;
  }

  private outcome(verdict: SettledVerdict): MonitorOutcome {
    return { verdict, latest: this.latest, deletedByUs: this.deletedByUs };
  }

  /**
   * The activity is being cancelled. The workflow's cancellation deletes the pod (its logs saved first) and
   * names it in the cancellation's details; a worker shutdown, a timed-out or paused activity leaves the pod
   * running for the next try to reattach (Airflow deletes it: #39791). Returns the error to throw.
   */
  private async stopOnCancellation(): Promise<Error> {
    const { ctx, log, meta, pod } = this.o;
    const reason: unknown = ctx.cancellationSignal.reason;
    if (!stepIsCancelled(ctx)) {
      log.info('activity stopping without the step finishing; leaving the pod for the next try', {
        ...meta,
        reason: String(reason),
      });
      return reason instanceof Error ? reason : new CancelledFailure(String(reason));
    }
    const logs = await this.o.saveLogs();
    this.deletedByUs = true;
    await deletePod(this.o.executor.core, {
      ...pod,
      uid: this.o.attached.uid,
      gracePeriodSeconds: this.o.executor.deps.cancelGracePeriodSeconds ?? 30,
    });
    log.info('step cancelled; pod deleted', meta);
    // The details reach the workflow as the cancellation's cause: the run status keeps the deleted pod's name.
    const details: StepFailureDetails = {
      reason: 'Cancelled',
      pod,
      ...(logs && { logUri: logs.uri, logTail: logs.mainTail || logs.tail }),
    };
    return new CancelledFailure(`step ${this.o.summary} cancelled; pod ${pod.namespace}/${pod.name} deleted`, [
      details,
    ]);
  }

  /** The step ran past its timeout: its logs saved, the pod goes at once, and the failure says why. */
  private async stopAtDeadline(): Promise<SettledVerdict> {
    await this.o.saveLogs();
    this.deletedByUs = true;
    await deletePod(this.o.executor.core, { ...this.o.pod, uid: this.o.attached.uid, gracePeriodSeconds: 0 });
    return {
      state: 'failed',
      failure: {
        failureClass: 'user',
        reason: 'DeadlineExceeded',
        message: `the step ran longer than its timeout of ${this.o.timeoutSeconds} s and was stopped`,
      },
    };
  }

  /** Waits for the watch to see a change, a second, or the activity's cancellation: whichever comes first. */
  private nextChange(): Promise<void> {
    const signal = this.o.ctx.cancellationSignal;
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.wake = () => undefined;
        resolve();
      };
      const timer = setTimeout(done, 1_000);
      this.wake = done;
      signal.addEventListener('abort', done, { once: true });
    });
  }
}

/**
 * When the executor stops the step itself (ms since the epoch; `Infinity` without a timeout): a little before
 * Temporal's start-to-close timeout, counted from whichever came first, this activity or the pod (a
 * reattached pod started earlier).
 */
function stepDeadline(timeoutSeconds: number | undefined, activityStarted: number, pod: V1Pod): number {
  const timeoutMs = (timeoutSeconds ?? 0) * 1000;
  if (timeoutMs <= 0) return Infinity;
  const margin = Math.min(5_000, timeoutMs / 10);
  const createdMs = timeMs(pod.metadata?.creationTimestamp) ?? activityStarted;
  return Math.min(activityStarted, createdMs) + timeoutMs - margin;
}

/**
 * Whether the step itself was cancelled (the workflow asked, or it no longer
 * exists), as opposed to this worker stopping or this activity attempt timing out.
 */
function stepIsCancelled(ctx: Context): boolean {
  const why = ctx.cancellationDetails;
  if (why) return why.cancelRequested || why.notFound;
  // Without details (older servers), the reason is the CancelledFailure's message.
  const reason: unknown = ctx.cancellationSignal.reason;
  const text = reason instanceof Error ? reason.message : String(reason);
  return text === 'CANCELLED' || text === 'NOT_FOUND';
}
