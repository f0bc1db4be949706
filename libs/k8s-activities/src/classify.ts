/**
 * What a pod's status means for the step (checklist items 5 and 6): still
 * waiting, succeeded, or failed — and if failed, whose fault. Decided from
 * container states and pod conditions, never from the pod phase alone:
 *
 * - main exited non-zero → user failure with the exit code; OOMKilled → user
 *   failure with reason `OOMKilled` (Airflow reports these silently: #8722);
 * - Evicted, DisruptionTarget (preemption, node drain, taint manager), a lost
 *   node, a pod deleted by someone else → infrastructure (retry the attempt);
 * - `DeadlineExceeded` (activeDeadlineSeconds) → user failure, like a timeout;
 * - `InvalidImageName` → configuration failure at once; `ErrImagePull` /
 *   `ImagePullBackOff` are tolerated for a grace window (a registry rate limit
 *   heals), then infrastructure;
 * - `Unschedulable` past the schedule timeout, and containers that never start
 *   past the start timeout, are separate infrastructure failures with the
 *   scheduler's or the kubelet's message.
 *
 * Time matters for the last two, so an assessor remembers when it first saw
 * each waiting reason; everything else is a pure function of the pod.
 */
import type { V1ContainerStatus, V1Pod, V1PodCondition } from '@kubernetes/client-node';
import type { FailureClass } from '@kiln/engine-contract';
import { containerNames } from '@kiln/kube';

/** Why a pod did not produce a result. */
export interface PodFailure {
  failureClass: FailureClass;
  /** Short and stable: `NonZeroExit`, `OOMKilled`, `Evicted`, `Unschedulable`, `InvalidImageName`, ... */
  reason: string;
  message: string;
  exitCode?: number;
  /** The container the failure was seen in, if any. */
  container?: string;
}

export type PodVerdict =
  { state: 'pending' | 'running'; detail: string } | { state: 'succeeded' } | { state: 'failed'; failure: PodFailure };

export interface ClassifyTimeouts {
  /** How long a pod may stay unscheduled. */
  scheduleTimeoutMs: number;
  /** How long a scheduled pod may take to start its first container (image pulls, volume mounts). */
  startTimeoutMs: number;
  /** How long `ErrImagePull`/`ImagePullBackOff` is tolerated before it counts as a failure. */
  imagePullGraceMs: number;
  /** How long `CreateContainerConfigError` (a missing Secret or ConfigMap key) is tolerated. */
  configErrorGraceMs: number;
}

export const defaultTimeouts: ClassifyTimeouts = {
  scheduleTimeoutMs: 10 * 60_000,
  startTimeoutMs: 10 * 60_000,
  imagePullGraceMs: 3 * 60_000,
  configErrorGraceMs: 60_000,
};

/** Kubernetes timestamps are Dates from typed calls but strings from watch events. */
export function timeMs(value: Date | string | undefined | null): number | undefined {
  if (value === undefined || value === null) return undefined;
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Pod-level reasons that mean the machinery, not the step, failed. */
const infrastructurePodReasons = new Set([
  'Evicted',
  'NodeLost',
  'NodeShutdown',
  'Terminated',
  'Shutdown',
  'UnexpectedAdmissionError',
  'OutOfcpu',
  'OutOfmemory',
  'OutOfpods',
  'NodeAffinity',
  'NodeAgentRestarted',
]);

/** Waiting reasons that no amount of waiting fixes. */
const fatalWaitingReasons = new Set(['InvalidImageName', 'ErrImageNeverPull']);
const pullReasons = new Set(['ErrImagePull', 'ImagePullBackOff']);

function condition(pod: V1Pod, type: string): V1PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === type);
}

function allStatuses(pod: V1Pod): V1ContainerStatus[] {
  return [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
}

function mainStatus(pod: V1Pod): V1ContainerStatus | undefined {
  return pod.status?.containerStatuses?.find((s) => s.name === containerNames.main);
}

/** The failure shown by a terminated main container, if it failed. */
function mainFailure(main: V1ContainerStatus | undefined): PodFailure | undefined {
  const t = main?.state?.terminated;
  if (!t || t.exitCode === 0) return undefined;
  if (t.reason === 'OOMKilled') {
    return {
      failureClass: 'user',
      reason: 'OOMKilled',
      message: `the step was killed for exceeding its memory limit (exit code ${t.exitCode})${t.message ? `: ${t.message}` : ''}`,
      exitCode: t.exitCode,
      container: containerNames.main,
    };
  }
  if (t.reason === 'StartError' || t.reason === 'ContainerCannotRun') {
    return {
      failureClass: 'user',
      reason: 'ContainerCannotRun',
      message: `the step's container could not start: ${t.message ?? t.reason}`,
      exitCode: t.exitCode,
      container: containerNames.main,
    };
  }
  return {
    failureClass: 'user',
    reason: 'NonZeroExit',
    message: `the command exited with code ${t.exitCode}${t.signal ? ` (signal ${t.signal})` : ''}`,
    exitCode: t.exitCode,
    container: containerNames.main,
  };
}

/**
 * Classifies pods over time. One per watched pod.
 *
 * @example
 * ```ts
 * const assessor = new PodAssessor({ ...defaultTimeouts, scheduleTimeoutMs: 60_000 });
 * const verdict = assessor.assess(pod);
 * if (verdict.state === 'failed') throw toStepFailure(verdict.failure);
 * ```
 */
export class PodAssessor {
  private readonly firstSeen = new Map<string, number>();

  constructor(
    private readonly timeouts: ClassifyTimeouts = defaultTimeouts,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * @param pod the latest pod, or `undefined` if it no longer exists.
   * @param deletedByUs whether this worker asked for the deletion (cancellation), so that it is not mistaken for foul play.
   */
  assess(pod: V1Pod | undefined, deletedByUs = false): PodVerdict {
    if (!pod) {
      return deletedByUs
        ? {
            state: 'failed',
            failure: {
              failureClass: 'infrastructure',
              reason: 'Cancelled',
              message: 'the pod was deleted on cancellation',
            },
          }
        : {
            state: 'failed',
            failure: {
              failureClass: 'infrastructure',
              reason: 'PodDeleted',
              message: 'the pod was deleted by someone else before it finished',
            },
          };
    }
    const phase = pod.status?.phase;
    if (phase === 'Succeeded') return { state: 'succeeded' };
    if (phase === 'Failed') return { state: 'failed', failure: this.failedPod(pod) };
    if (pod.metadata?.deletionTimestamp && !deletedByUs) {
      // An eviction (API-initiated, preemption, taint manager) marks the pod before deleting it.
      const disruption = condition(pod, 'DisruptionTarget');
      return {
        state: 'failed',
        failure:
          disruption?.status === 'True'
            ? {
                failureClass: 'infrastructure',
                reason: `DisruptionTarget:${disruption.reason ?? 'Unknown'}`,
                message: disruption.message || 'the pod was disrupted',
              }
            : {
                failureClass: 'infrastructure',
                reason: 'PodDeleted',
                message: 'the pod is being deleted by someone else before it finished',
              },
      };
    }
    // A failed main container decides even before the pod phase catches up (sidecars still stopping).
    const failedMain = mainFailure(mainStatus(pod));
    if (failedMain) return { state: 'failed', failure: failedMain };
    return this.notDone(pod);
  }

  private failedPod(pod: V1Pod): PodFailure {
    const reason = pod.status?.reason;
    const message = pod.status?.message ?? '';
    const disruption = condition(pod, 'DisruptionTarget');
    if (disruption?.status === 'True') {
      return {
        failureClass: 'infrastructure',
        reason: reason === 'Evicted' ? 'Evicted' : `DisruptionTarget:${disruption.reason ?? 'Unknown'}`,
        message: disruption.message || message || 'the pod was disrupted',
      };
    }
    if (reason === 'DeadlineExceeded') {
      return {
        failureClass: 'user',
        reason: 'DeadlineExceeded',
        message: message || 'the step ran past its timeout (activeDeadlineSeconds)',
      };
    }
    if (reason && infrastructurePodReasons.has(reason)) {
      return { failureClass: 'infrastructure', reason, message: message || `the pod failed: ${reason}` };
    }
    const failedMain = mainFailure(mainStatus(pod));
    if (failedMain) return failedMain;
    const fetch = pod.status?.initContainerStatuses?.find((s) => s.name === containerNames.fetch)?.state?.terminated;
    if (fetch && fetch.exitCode !== 0) {
      return {
        failureClass: 'infrastructure',
        reason: 'InputFetchFailed',
        message: `the launcher could not prepare the inputs (exit code ${fetch.exitCode})`,
        exitCode: fetch.exitCode,
        container: containerNames.fetch,
      };
    }
    return {
      failureClass: 'infrastructure',
      reason: reason ?? 'PodFailed',
      message: message || 'the pod failed without a container error',
    };
  }

  private seenFor(key: string): number {
    const now = this.now();
    const first = this.firstSeen.get(key);
    if (first !== undefined) return now - first;
    this.firstSeen.set(key, now);
    return 0;
  }

  private notDone(pod: V1Pod): PodVerdict {
    const stuck = this.stuckContainer(pod);
    if (stuck) return { state: 'failed', failure: stuck };
    const scheduled = condition(pod, 'PodScheduled');
    if (!pod.spec?.nodeName || scheduled?.status === 'False') return this.unscheduled(pod, scheduled);
    if (!allStatuses(pod).some((s) => s.state?.running || s.state?.terminated)) return this.notStarted(pod, scheduled);
    const main = mainStatus(pod);
    if (main?.state?.running) return { state: 'running', detail: 'running' };
    if (main?.state?.terminated) return { state: 'running', detail: 'publishing outputs' };
    return { state: 'running', detail: 'fetching inputs' };
  }

  /**
   * A container waiting for a reason that waiting will not fix: an invalid image name at once, an image
   * pull or a container config error (a missing Secret key) once its grace window has passed.
   */
  private stuckContainer(pod: V1Pod): PodFailure | undefined {
    const t = this.timeouts;
    for (const status of allStatuses(pod)) {
      const waiting = status.state?.waiting;
      const reason = waiting?.reason;
      if (!reason) continue;
      const where = `container "${status.name}" (image ${status.image})`;
      const said = `${where}: ${waiting.message ?? reason}`;
      if (fatalWaitingReasons.has(reason)) {
        return { failureClass: 'configuration', reason, message: said, container: status.name };
      }
      if (pullReasons.has(reason) && this.seenFor(`${status.name}:pull`) > t.imagePullGraceMs) {
        return {
          failureClass: 'infrastructure',
          reason: 'ImagePullBackOff',
          message: `${where} could not be pulled for ${Math.round(t.imagePullGraceMs / 1000)} s: ${waiting.message ?? reason}`,
          container: status.name,
        };
      }
      if (reason === 'CreateContainerConfigError' && this.seenFor(`${status.name}:config`) > t.configErrorGraceMs) {
        return { failureClass: 'configuration', reason, message: said, container: status.name };
      }
    }
    return undefined;
  }

  /** Not bound to a node yet: pending, until the schedule timeout says it never will be. */
  private unscheduled(pod: V1Pod, scheduled: V1PodCondition | undefined): PodVerdict {
    const waited = this.now() - (timeMs(pod.metadata?.creationTimestamp) ?? this.now());
    const why =
      scheduled?.reason === 'Unschedulable'
        ? (scheduled.message ?? 'no node fits the pod')
        : 'no scheduler has bound the pod yet';
    if (waited <= this.timeouts.scheduleTimeoutMs) return { state: 'pending', detail: `unscheduled: ${why}` };
    return {
      state: 'failed',
      failure: {
        failureClass: 'infrastructure',
        reason: 'Unschedulable',
        message: `the pod was not scheduled within ${Math.round(this.timeouts.scheduleTimeoutMs / 1000)} s: ${why}`,
      },
    };
  }

  /** Scheduled, no container started yet (image pulls, volume mounts): pending, until the start timeout. */
  private notStarted(pod: V1Pod, scheduled: V1PodCondition | undefined): PodVerdict {
    const since =
      timeMs(scheduled?.lastTransitionTime) ??
      timeMs(pod.status?.startTime) ??
      timeMs(pod.metadata?.creationTimestamp) ??
      this.now();
    const waiting = allStatuses(pod)
      .map(
        (s) =>
          s.state?.waiting?.reason &&
          `${s.name}: ${s.state.waiting.reason}${s.state.waiting.message ? ` (${s.state.waiting.message})` : ''}`,
      )
      .filter(Boolean)
      .join('; ');
    if (this.now() - since <= this.timeouts.startTimeoutMs) {
      return { state: 'pending', detail: `starting${waiting ? `: ${waiting}` : ''}` };
    }
    return {
      state: 'failed',
      failure: {
        failureClass: 'infrastructure',
        reason: 'StartTimeout',
        message: `no container started within ${Math.round(this.timeouts.startTimeoutMs / 1000)} s of scheduling${waiting ? `: ${waiting}` : ''}`,
      },
    };
  }
}
