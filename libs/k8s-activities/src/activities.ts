/**
 * `runStep` for the Kubernetes executor: one pod per task attempt, watched
 * durably, heartbeating on a timer, classified from container states, its logs
 * saved before it is deleted. See the package overview (index.ts) for the
 * checklist this implements and how to wire it into a worker.
 */
import { Context } from '@temporalio/activity';
import { CancelledFailure } from '@temporalio/common';
import type { CoreV1Api, KubeConfig, V1Pod } from '@kubernetes/client-node';
import { ArtifactNotFoundError, type ArtifactStore } from '@kiln/artifacts';
import {
  stepFailure,
  type StepActivities,
  type StepFailureDetails,
  type StepRequest,
  type StepResult,
} from '@kiln/engine-contract';
import {
  executorOutputKey,
  toLaunchRequest,
  toStepFailure,
  type ExecutorOutput,
  type LaunchFailure,
} from '@kiln/launcher';
import { containerNames, makeCoreApi, podIdentity, sleep, statusOf } from '@kiln/kube';
import {
  defaultTimeouts,
  PodAssessor,
  timeMs,
  type ClassifyTimeouts,
  type PodFailure,
  type PodVerdict,
} from './classify';
import { collectFinishedPods, defaultCleanupPolicy, deletePod, type CleanupPolicy } from './cleanup';
import { isValidImageReference } from './image-ref';
import { launcherFailureKey, podRequestKey } from './in-pod/layout';
import { savePodLogs, type SavedLogs } from './save-logs';
import { attachPod, parseHeartbeat, PodNameConflictError, type PodHeartbeat } from './pod-create';
import { buildPod, type PodDefaults } from './pod-spec';
import { PodWatch } from './pod-watch';

/** Where the activity reports what it does; defaults to Temporal's activity logger. */
export interface K8sLogger {
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  debug(message: string, meta?: Record<string, unknown>): void;
}

export interface K8sActivitiesDeps {
  /** A loaded KubeConfig (in a pod: `kc.loadFromCluster()`; elsewhere `kc.loadFromDefault()`). */
  kube: KubeConfig;
  /** Namespace the step pods run in. */
  namespace: string;
  /** The artifact store, shared with the pods (they open `store.url`). */
  store: ArtifactStore;
  /** The Kiln launcher image. */
  launcherImage: string;
  /** Everything else about step pods: launcher command, store Secret, defaults. */
  pod?: Omit<PodDefaults, 'launcherImage'>;
  /** Schedule, start and image-pull timeouts. */
  timeouts?: Partial<ClassifyTimeouts>;
  cleanup?: Partial<CleanupPolicy>;
  /** Timeout of each (non-watch) API request. Default 30 s. */
  requestTimeoutMs?: number;
  /** Heartbeat interval. Default 5 s (the workflow's heartbeat timeout is 30 s). */
  heartbeatMs?: number;
  /** Grace period of a pod deleted on cancellation. Default 30 s. */
  cancelGracePeriodSeconds?: number;
  /** Watch tuning; see `PodWatch`. */
  watch?: { timeoutSeconds?: number; inactivityMs?: number; pollMs?: number };
  /** How often a worker sweeps expired failed pods after a step. Default 60 s; 0 disables. */
  collectEveryMs?: number;
  log?: K8sLogger;
}

async function readJsonIfPresent<T>(store: ArtifactStore, key: string): Promise<T | undefined> {
  try {
    return await store.readJson<T>(key);
  } catch (error) {
    if (error instanceof ArtifactNotFoundError) return undefined;
    throw error;
  }
}

function toStepResult(
  record: ExecutorOutput,
  pod: { namespace: string; name: string },
  times?: { startedAt?: string; finishedAt?: string },
): StepResult {
  return {
    exitCode: record.exitCode,
    outputs: record.outputs,
    startedAt: times?.startedAt ?? record.startedAt,
    finishedAt: times?.finishedAt ?? record.finishedAt,
    logUri: record.logUri,
    executor: 'kubernetes',
    pod,
  };
}

/** When main ran, from its container state; the record's times are the launcher's view. */
function mainTimes(pod: V1Pod | undefined): { startedAt?: string; finishedAt?: string } {
  const t = pod?.status?.containerStatuses?.find((s) => s.name === 'main')?.state?.terminated;
  const started = timeMs(t?.startedAt);
  const finished = timeMs(t?.finishedAt);
  return {
    ...(started !== undefined && { startedAt: new Date(started).toISOString() }),
    ...(finished !== undefined && { finishedAt: new Date(finished).toISOString() }),
  };
}

/**
 * The Kubernetes executor's activities. Only `runStep` runs pods; the
 * store-backed activities (cache, run records, importer) are the same for every
 * executor and come from `@kiln/store-activities`.
 *
 * @example
 * ```ts
 * const kube = new KubeConfig();
 * kube.loadFromDefault();
 * const activities = {
 *   ...createStoreActivities({ store }),                       // cache, records, importer
 *   ...createK8sActivities({ kube, namespace: 'ml', store, launcherImage: 'ghcr.io/kiln/launcher:0.1.0',
 *                            pod: { storeSecret: 'kiln-store' } }),
 * };
 * ```
 */
export function createK8sActivities(deps: K8sActivitiesDeps): StepActivities {
  const core = makeCoreApi(deps.kube, deps.requestTimeoutMs ?? 30_000);
  const timeouts: ClassifyTimeouts = { ...defaultTimeouts, ...deps.timeouts };
  const cleanup: CleanupPolicy = { ...defaultCleanupPolicy, ...deps.cleanup };
  let lastCollect = 0;

  const collectSometimes = (log: K8sLogger) => {
    const every = deps.collectEveryMs ?? 60_000;
    if (every <= 0 || Date.now() - lastCollect < every) return;
    lastCollect = Date.now();
    collectFinishedPods(core, deps.namespace, cleanup).then(
      (names) => names.length > 0 && log.info('collected finished pods', { names }),
      (error: unknown) => log.warn('collecting finished pods failed', { error: String(error) }),
    );
  };

  async function runStep(req: StepRequest): Promise<StepResult> {
    const ctx = Context.current();
    const log: K8sLogger = deps.log ?? ctx.log;
    const namespace = deps.namespace;
    const identity = podIdentity(req);
    const podRef = { namespace, name: identity.name };
    const activityStarted = Date.now();
    const meta = { executionKey: req.executionKey, pod: identity.name };

    // A previous try may have finished and recorded the result before the worker died: collect, do not rerun.
    const recorded = await readJsonIfPresent<ExecutorOutput>(deps.store, executorOutputKey(req.executionKey));
    if (recorded) {
      log.info('step already succeeded; returning its recorded output', meta);
      if (cleanup.deleteSucceeded) await deletePod(core, { namespace, name: identity.name }).catch(() => false);
      return toStepResult(recorded, podRef);
    }

    const image =
      req.component.implementation.type === 'container' || req.component.implementation.type === 'python'
        ? req.component.implementation.image
        : '';
    if (!isValidImageReference(image)) {
      throw stepFailure({
        failureClass: 'configuration',
        reason: 'InvalidImageName',
        message: `the image name ${JSON.stringify(image)} is not a valid image reference`,
      });
    }

    let body: V1Pod;
    try {
      await deps.store.writeJson(podRequestKey(req.executionKey), toLaunchRequest(req));
      body = buildPod({
        request: req,
        identity,
        namespace,
        storeUrl: deps.store.url,
        requestKey: podRequestKey(req.executionKey),
        defaults: { ...deps.pod, launcherImage: deps.launcherImage },
      });
    } catch (error) {
      if (error instanceof ArtifactNotFoundError) throw error;
      throw stepFailure({ failureClass: 'configuration', reason: 'InvalidStep', message: (error as Error).message });
    }

    let attached;
    try {
      attached = await attachPod({
        core,
        namespace,
        identity,
        body,
        resumed: parseHeartbeat(ctx.info.heartbeatDetails),
        // A pod whose pip install or input fetch failed shows it only through the launcher's note: ask it too.
        failedForInfrastructure: async (pod) => {
          if (pod.status?.phase !== 'Failed') return false;
          const verdict = new PodAssessor(timeouts).assess(pod);
          if (verdict.state !== 'failed') return false;
          const failure = launcherKnowsMore(verdict.failure)
            ? await launcherFailure(deps.store, req.executionKey, verdict.failure)
            : verdict.failure;
          return failure.failureClass === 'infrastructure';
        },
        signal: ctx.cancellationSignal,
      });
    } catch (error) {
      if (error instanceof PodNameConflictError)
        throw stepFailure({
          failureClass: 'configuration',
          reason: 'PodNameConflict',
          message: error.message,
          pod: podRef,
        });
      const status = (error as { code?: unknown }).code;
      if (status === 422 || status === 400 || status === 403) {
        throw stepFailure({
          failureClass: 'configuration',
          reason: `PodRejected:${String(status)}`,
          message: `the API server rejected the pod: ${(error as Error).message} ${JSON.stringify((error as { body?: unknown }).body ?? '')}`,
          pod: podRef,
        });
      }
      throw error; // transient errors already retried: let Temporal retry the activity
    }
    const uid = attached.pod.metadata?.uid ?? '';
    if (attached.how === 'created' || attached.how === 'replaced') {
      // A failure note from an earlier try of this attempt must not be mistaken for this pod's.
      await deps.store.delete(launcherFailureKey(req.executionKey)).catch(() => undefined);
    }
    log.info(`pod ${attached.how}`, { ...meta, uid });

    let latest: V1Pod | undefined = attached.pod;
    let detail = `pod ${attached.how}`;
    const heartbeat = (): PodHeartbeat => ({
      namespace,
      name: identity.name,
      uid,
      ...(latest?.metadata?.resourceVersion && { resourceVersion: latest.metadata.resourceVersion }),
      detail,
    });
    // Identity first: a crash right after this still lets the next try find the pod.
    ctx.heartbeat(heartbeat());
    const heartbeatTimer = setInterval(() => ctx.heartbeat(heartbeat()), deps.heartbeatMs ?? 5_000);

    let wake: () => void = () => undefined;
    const watch = new PodWatch({
      kc: deps.kube,
      core,
      namespace,
      name: identity.name,
      watchTimeoutSeconds: deps.watch?.timeoutSeconds,
      inactivityMs: deps.watch?.inactivityMs,
      pollMs: deps.watch?.pollMs,
      // We just read the pod: watch on from there. A reattached pod unchanged for longer than the server's
      // watch window (e.g. since an API server restart) gets 410 Gone, and the watch lists instead.
      startFrom: attached.pod.metadata?.resourceVersion,
      // A pod with our name but another uid is someone else's: ours is gone.
      onPod: (pod) => {
        latest = pod && pod.metadata?.uid === uid ? pod : undefined;
        wake();
      },
      onTrouble: (what, error) => log.debug(what, { ...meta, error: error === undefined ? undefined : String(error) }),
    });
    watch.start();

    const assessor = new PodAssessor(timeouts);
    const timeoutMs = (req.settings.timeoutSeconds ?? 0) * 1000;
    const margin = Math.min(5_000, timeoutMs / 10);
    const createdMs = timeMs(attached.pod.metadata?.creationTimestamp) ?? activityStarted;
    const deadline = timeoutMs > 0 ? Math.min(activityStarted, createdMs) + timeoutMs - margin : Infinity;

    let saved: SavedLogs | undefined;
    const saveLogsQuietly = async (): Promise<SavedLogs | undefined> => {
      if (saved) return saved;
      try {
        saved = await savePodLogs({
          core,
          store: deps.store,
          namespace,
          name: identity.name,
          executionKey: req.executionKey,
        });
      } catch (error) {
        log.warn('could not save the pod logs', { ...meta, error: String(error) });
      }
      return saved;
    };

    let verdict: PodVerdict | undefined;
    let deletedByUs = false;
    let publisherWaitFrom: number | undefined;
    try {
      for (;;) {
        verdict = assessor.assess(latest, deletedByUs);
        if (verdict.state === 'succeeded') break;
        if (verdict.state === 'failed') {
          // Main exited non-zero while the publish sidecar is still up: it may yet record why (the Python
          // shim's failed package install), which the exit code alone cannot tell. Wait briefly for it.
          if (verdict.failure.reason !== 'NonZeroExit' || !publisherRunning(latest)) break;
          publisherWaitFrom ??= Date.now();
          if (Date.now() - publisherWaitFrom > publisherWaitMs) break;
          detail = 'main container failed; waiting for the launcher sidecar to finish';
        } else {
          detail = `${verdict.state}: ${verdict.detail}`;
        }
        if (ctx.cancellationSignal.aborted) {
          // Worker shutdown, a timed-out or paused activity: the pod keeps running and the next try reattaches (Airflow deletes it: #39791).
          if (!stepIsCancelled(ctx)) {
            log.info('activity stopping without the step finishing; leaving the pod for the next try', {
              ...meta,
              reason: String(ctx.cancellationSignal.reason),
            });
            throw ctx.cancellationSignal.reason instanceof Error
              ? ctx.cancellationSignal.reason
              : new CancelledFailure(String(ctx.cancellationSignal.reason));
          }
          const logs = await saveLogsQuietly();
          deletedByUs = true;
          await deletePod(core, {
            namespace,
            name: identity.name,
            uid,
            gracePeriodSeconds: deps.cancelGracePeriodSeconds ?? 30,
          });
          log.info('step cancelled; pod deleted', meta);
          // The details reach the workflow as the cancellation's cause: the run status keeps the deleted pod's name.
          const details: StepFailureDetails = {
            reason: 'Cancelled',
            pod: podRef,
            ...(logs && { logUri: logs.uri, logTail: logs.mainTail || logs.tail }),
          };
          throw new CancelledFailure(`step ${req.summary} cancelled; pod ${namespace}/${identity.name} deleted`, [
            details,
          ]);
        }
        if (Date.now() > deadline) {
          // Main already failed and only the sidecar's account was awaited: that failure stands, not the deadline.
          if (verdict.state === 'failed') break;
          verdict = {
            state: 'failed',
            failure: {
              failureClass: 'user',
              reason: 'DeadlineExceeded',
              message: `the step ran longer than its timeout of ${req.settings.timeoutSeconds} s and was stopped`,
            },
          };
          await saveLogsQuietly();
          deletedByUs = true;
          await deletePod(core, { namespace, name: identity.name, uid, gracePeriodSeconds: 0 });
          break;
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, 1_000);
          function done() {
            clearTimeout(timer);
            ctx.cancellationSignal.removeEventListener('abort', done);
            wake = () => undefined;
            resolve();
          }
          wake = done;
          ctx.cancellationSignal.addEventListener('abort', done, { once: true });
        });
      }
    } finally {
      clearInterval(heartbeatTimer);
      await watch.stop();
    }

    const extras = async (): Promise<Omit<StepFailureDetails, 'reason' | 'exitCode'>> => {
      const logs = await saveLogsQuietly();
      return { pod: podRef, ...(logs && { logUri: logs.uri, logTail: logs.mainTail || logs.tail }) };
    };

    const final = verdict;
    if (!final) throw new Error('unreachable: the monitor loop ended without a verdict');
    if (final.state === 'succeeded') {
      const record = await waitForRecord(deps.store, req.executionKey);
      const logs = await saveLogsQuietly();
      if (record) {
        if (cleanup.deleteSucceeded) await deletePod(core, { namespace, name: identity.name, uid });
        collectSometimes(log);
        const result = toStepResult(record, podRef, mainTimes(latest));
        return logs ? { ...result, logUri: logs.uri } : result;
      }
      const failure = await launcherFailure(deps.store, req.executionKey, {
        failureClass: 'infrastructure',
        reason: 'OutputsNotPublished',
        message: 'the pod succeeded but the launcher left no executor-output record',
      });
      const details = await extras();
      // A retry would adopt this pod and again find no record: it goes, so the retry runs the step afresh.
      if (failure.failureClass === 'infrastructure') {
        await replaceOnRetry(core, { namespace, name: identity.name, uid }).catch((error: unknown) => {
          log.warn('could not delete the pod that published no outputs', { ...meta, error: String(error) });
        });
      }
      throw stepFailure({ ...failure, ...details });
    }
    // The launcher knows more than the container state when fetch failed, or when main exited before the
    // user's code ran (the Python shim's package install): it left its own account in the store.
    const failure = launcherKnowsMore(final.failure)
      ? await launcherFailure(deps.store, req.executionKey, final.failure)
      : final.failure;
    const details = await extras();
    if (!deletedByUs && failure.failureClass === 'infrastructure' && podFinished(latest)) {
      // Temporal retries infrastructure failures, and the retry would find this pod again (by its heartbeat or by
      // its name) and read the same failure off it: with its logs saved, it goes, and the retry runs a fresh one.
      deletedByUs = await replaceOnRetry(core, { namespace, name: identity.name, uid }).catch((error: unknown) => {
        log.warn('could not delete the pod that failed for an infrastructure reason', {
          ...meta,
          error: String(error),
        });
        return false;
      });
    }
    if (!deletedByUs && (req.podTtlSeconds ?? cleanup.failedPodTtlSeconds) === 0) {
      // A TTL of 0 keeps nothing to look at: the logs are saved, the pod goes now rather than at the next sweep.
      await deletePod(core, { namespace, name: identity.name, uid }).catch((error: unknown) =>
        log.warn('could not delete the failed pod', { ...meta, error: String(error) }),
      );
    }
    log.warn('step failed', {
      ...meta,
      failureClass: failure.failureClass,
      reason: failure.reason,
      exitCode: failure.exitCode,
    });
    collectSometimes(log);
    throw stepFailure({ ...failure, ...details });
  }

  return { runStep };
}

/**
 * Whether the step itself was cancelled (the workflow asked, or it no longer
 * exists), as opposed to this worker stopping or this activity attempt timing out.
 */
function stepIsCancelled(ctx: Context): boolean {
  const why = ctx.cancellationDetails;
  if (why) return why.cancelRequested || why.notFound;
  // Without details (older servers), the reason is the CancelledFailure's message.
  const reason = ctx.cancellationSignal.reason;
  const text = reason instanceof Error ? reason.message : String(reason);
  return text === 'CANCELLED' || text === 'NOT_FOUND';
}

/**
 * Whether the launcher's note may say more than the container state: when fetch failed, or when main exited
 * before the user's code ran (the Python shim's package install).
 */
function launcherKnowsMore(failure: PodFailure): boolean {
  return failure.reason === 'InputFetchFailed' || failure.reason === 'NonZeroExit';
}

/** Whether nothing more will happen in the pod: it completed, or main or fetch terminated (restartPolicy Never). */
function podFinished(pod: V1Pod | undefined): boolean {
  if (!pod) return false;
  if (pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded') return true;
  if (pod.status?.containerStatuses?.find((s) => s.name === containerNames.main)?.state?.terminated) return true;
  const fetch = pod.status?.initContainerStatuses?.find((s) => s.name === containerNames.fetch)?.state?.terminated;
  return fetch !== undefined && fetch.exitCode !== 0;
}

/**
 * Deletes a finished pod at once and waits (briefly) until it is gone, so a retry of the activity creates a fresh
 * pod under the same name rather than meeting this one. Returns whether the pod was deleted by this call.
 */
async function replaceOnRetry(
  core: CoreV1Api,
  pod: { namespace: string; name: string; uid: string },
): Promise<boolean> {
  const deleted = await deletePod(core, { ...pod, gracePeriodSeconds: 0 });
  for (let i = 0; i < 20; i++) {
    const current = await core
      .readNamespacedPod({ namespace: pod.namespace, name: pod.name })
      .catch((error: unknown) => {
        if (statusOf(error) === 404) return undefined;
        throw error;
      });
    if (current?.metadata?.uid !== pod.uid) break;
    // attachPod also waits out a pod still terminating; this only spares the retry the wait.
    await sleep(250);
  }
  return deleted;
}

/** The sidecar reacts to main's exit within a poll interval; this bounds the wait for its account of a failure. */
const publisherWaitMs = 10_000;

/** Whether the pod still exists and its publish sidecar has not terminated. */
function publisherRunning(pod: V1Pod | undefined): boolean {
  if (!pod || pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded') return false;
  const publisher = pod.status?.initContainerStatuses?.find((s) => s.name === containerNames.publish);
  return publisher !== undefined && publisher.state?.terminated === undefined;
}

/** The sidecar writes the record just before the pod completes; give a slow store a moment. */
async function waitForRecord(store: ArtifactStore, executionKey: string): Promise<ExecutorOutput | undefined> {
  for (let i = 0; i < 10; i++) {
    const record = await readJsonIfPresent<ExecutorOutput>(store, executorOutputKey(executionKey));
    if (record) return record;
    await sleep(300);
  }
  return undefined;
}

/** The launcher's own account of a fetch or publish failure, when it left one. */
async function launcherFailure(store: ArtifactStore, executionKey: string, fallback: PodFailure): Promise<PodFailure> {
  const recorded = await readJsonIfPresent<LaunchFailure>(store, launcherFailureKey(executionKey)).catch(
    () => undefined,
  );
  if (!recorded) return fallback;
  return {
    failureClass: toStepFailure(recorded).failureClass,
    reason: recorded.reason,
    message: recorded.message,
    ...(fallback.exitCode !== undefined && { exitCode: fallback.exitCode }),
  };
}
