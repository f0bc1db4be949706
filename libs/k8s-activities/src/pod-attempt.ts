/**
 * One attempt of one step as one pod, in four steps: prepare (check the image,
 * stage the launch request, build the pod), attach (create it, or find the one
 * an earlier try of this attempt left), monitor (watch it until it settles: see
 * `PodMonitor`) and settle (collect the result, or classify the failure with its
 * logs, and clean up). An attempt whose result is already recorded is collected,
 * not run again.
 */
import type { Context } from '@temporalio/activity';
import { ApiException, type V1Pod } from '@kubernetes/client-node';
import { ArtifactNotFoundError } from '@kiln/artifacts';
import { stepFailure, type StepFailureDetails, type StepResult } from '@kiln/engine-contract';
import {
  annotationKeys,
  containerNames,
  podIdentity,
  readContainerLog,
  sleep,
  statusOf,
  type PodIdentity,
} from '@kiln/kube';
import {
  LaunchError,
  toLaunchFailure,
  toLaunchRequest,
  toStepFailure,
  writeExecutorOutput,
  type ExecutorOutput,
} from '@kiln/launcher';
import { launcherFailureKey, podRequestKey, stepLogKey, type LocatedStep } from '@kiln/store-layout';
import { PodAssessor, type PodFailure } from './classify';
import { deletePod, replaceOnRetry } from './cleanup';
import type { K8sLogger, PodExecutor } from './deps';
import { isValidImageReference } from './image-ref';
import { attachPod, parseHeartbeat, PodNameConflictError } from './pod-create';
import { PodMonitor, type AttachedPod, type MonitorOutcome } from './pod-monitor';
import { buildPod } from './pod-spec';
import { podFinished } from './pod-state';
import { launcherFailedExitCode } from './in-pod/paths';
import { savePodLogs, type SavedLogs } from './save-logs';
import { maxStaticParamBytes, readStaticLauncherLog, staticExecutorOutput, staticLaunchPlan } from './static-launcher';
import {
  launcherAccount,
  launcherFailure,
  launcherKnowsMore,
  mainTimes,
  recordedOutput,
  toStepResult,
  waitForRecord,
} from './step-records';

/**
 * @example
 * ```ts
 * const result = await new PodAttempt(executor, request, Context.current()).run();
 * ```
 */
export class PodAttempt {
  private readonly log: K8sLogger;
  private readonly identity: PodIdentity;
  private readonly pod: { namespace: string; name: string };
  private readonly meta: Record<string, unknown>;
  private readonly started = Date.now();
  private saved: SavedLogs | undefined;
  private saving: Promise<SavedLogs | undefined> | undefined;
  /** The launcher container's log, once read (`launcherLog`). */
  private launcherText: Promise<string> | undefined;
  /** The pod as attached (created or found): what it runs decides where its outputs are read. */
  private attachedPod: V1Pod | undefined;
  /** The removal of an earlier try's failure note, when this attempt created its pod. */
  private staleNoteRemoved: Promise<void> = Promise.resolve();

  constructor(
    private readonly executor: PodExecutor,
    /** The step with its store locations (`locateStep`). */
    private readonly req: LocatedStep,
    private readonly ctx: Context,
  ) {
    this.log = executor.deps.log ?? ctx.log;
    this.identity = podIdentity(req);
    this.pod = { namespace: executor.deps.namespace, name: this.identity.name };
    this.meta = { executionKey: req.executionKey, pod: this.identity.name };
  }

  /** Runs the attempt to its result; throws `stepFailure`s and cancellations as `KilnActivities.runStep` says. */
  async run(): Promise<StepResult> {
    // Staging the request and looking for a recorded result are independent round trips: both at once. A
    // recorded result wins even over a step that no longer prepares (staging the same request again is harmless).
    const preparing = this.prepare();
    preparing.catch(() => undefined);
    const recorded = await this.recordedResult();
    if (recorded) return recorded;
    const attached = await this.attach(await preparing);
    const outcome = await new PodMonitor({
      executor: this.executor,
      ctx: this.ctx,
      log: this.log,
      meta: this.meta,
      pod: this.pod,
      attached,
      summary: this.req.summary,
      ...(this.req.settings.timeoutSeconds !== undefined && { timeoutSeconds: this.req.settings.timeoutSeconds }),
      activityStarted: this.started,
      saveLogs: () => this.saveLogs(),
    }).run();
    return this.settle(outcome, attached.uid);
  }

  /** A previous try may have finished and recorded the result before the worker died: collect, do not rerun. */
  private async recordedResult(): Promise<StepResult | undefined> {
    const recorded = await recordedOutput(this.executor.deps.store, this.req.executionKey);
    if (!recorded) return undefined;
    this.log.info('step already succeeded; returning its recorded output', this.meta);
    if (this.executor.cleanup.deleteSucceeded) await deletePod(this.executor.core, this.pod).catch(() => false);
    return toStepResult(recorded, this.pod);
  }

  /** Checks the image, stages the launch request for the pod's launcher, and builds the pod. */
  private async prepare(): Promise<V1Pod> {
    const { deps } = this.executor;
    const impl = this.req.component.implementation;
    const image = impl.type === 'container' || impl.type === 'python' ? impl.image : '';
    if (!isValidImageReference(image)) {
      throw stepFailure({
        failureClass: 'configuration',
        reason: 'InvalidImageName',
        message: `the image name ${JSON.stringify(image)} is not a valid image reference`,
      });
    }
    try {
      const launchRequest = toLaunchRequest(this.req);
      const staticPlan = this.staticLauncherApplies() ? staticLaunchPlan(launchRequest) : undefined;
      // The static launcher gets its plan in the pod spec: only the Node launcher reads a staged request.
      if (!staticPlan) await deps.store.writeJson(podRequestKey(this.req.executionKey), launchRequest);
      return buildPod({
        request: this.req,
        identity: this.identity,
        namespace: this.pod.namespace,
        storeUrl: deps.store.url,
        requestKey: podRequestKey(this.req.executionKey),
        ...(staticPlan && { staticPlan }),
        defaults: { ...deps.pod, launcherImage: deps.launcherImage },
      });
    } catch (error) {
      if (error instanceof ArtifactNotFoundError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw stepFailure({ failureClass: 'configuration', reason: 'InvalidStep', message });
    }
  }

  /** Whether the worker runs the static launcher in the pods it can (see static-launcher.ts). */
  private staticLauncherApplies(): boolean {
    const pod = this.executor.deps.pod ?? {};
    return (pod.staticLauncherCommand?.length ?? 0) > 0 && (pod.launcherLayout ?? 'one-process') === 'one-process';
  }

  /** Whether the attached pod runs the static launcher, whose outputs and failures are in its log. */
  private runsStaticLauncher(): boolean {
    return this.attachedPod?.metadata?.annotations?.[annotationKeys.launcher] === 'static';
  }

  /** Creates the pod, or reattaches to (or adopts) the one an earlier try of this attempt left. */
  private async attach(body: V1Pod): Promise<AttachedPod> {
    let attached: Awaited<ReturnType<typeof attachPod>>;
    try {
      attached = await attachPod({
        core: this.executor.core,
        namespace: this.pod.namespace,
        identity: this.identity,
        body,
        resumed: parseHeartbeat(this.ctx.info.heartbeatDetails),
        failedForInfrastructure: (pod) => this.failedForInfrastructure(pod),
        signal: this.ctx.cancellationSignal,
      });
    } catch (error) {
      throw this.attachFailure(error);
    }
    this.attachedPod = attached.pod;
    const uid = attached.pod.metadata?.uid ?? '';
    // The static launcher never writes a note: nothing to remove for its pods.
    if ((attached.how === 'created' || attached.how === 'replaced') && !this.runsStaticLauncher()) {
      // A failure note from an earlier try of this attempt must not be mistaken for this pod's. Removed while
      // the pod starts (its launcher needs far longer to write one), and awaited before any note is read.
      this.staleNoteRemoved = this.executor.deps.store
        .delete(launcherFailureKey(this.req.executionKey))
        .then(() => undefined)
        .catch(() => undefined);
    }
    this.log.info(`pod ${attached.how}`, { ...this.meta, uid });
    return { pod: attached.pod, how: attached.how, uid };
  }

  /** A pod whose pip install or input fetch failed shows it only through the launcher's note: ask it too. */
  private async failedForInfrastructure(pod: V1Pod): Promise<boolean> {
    if (pod.status?.phase !== 'Failed') return false;
    const verdict = new PodAssessor(this.executor.timeouts).assess(pod);
    if (verdict.state !== 'failed') return false;
    const failure = launcherKnowsMore(verdict.failure)
      ? await launcherFailure(this.executor.deps.store, this.req.executionKey, verdict.failure)
      : verdict.failure;
    return failure.failureClass === 'infrastructure';
  }

  /** What a failed attach becomes: a configuration failure when the pod can never be ours, else the error as it is. */
  private attachFailure(error: unknown): unknown {
    if (error instanceof PodNameConflictError) {
      return stepFailure({
        failureClass: 'configuration',
        reason: 'PodNameConflict',
        message: error.message,
        pod: this.pod,
      });
    }
    const status = statusOf(error);
    if (status === 422 || status === 400 || status === 403) {
      const body: unknown = error instanceof ApiException ? error.body : undefined;
      const message = error instanceof Error ? error.message : String(error);
      return stepFailure({
        failureClass: 'configuration',
        reason: `PodRejected:${String(status)}`,
        message: `the API server rejected the pod: ${message} ${JSON.stringify(body ?? '')}`,
        pod: this.pod,
      });
    }
    return error; // transient errors already retried: let Temporal retry the activity
  }

  /** The result of a pod that succeeded, or the classified failure of one that did not. */
  private async settle(outcome: MonitorOutcome, uid: string): Promise<StepResult> {
    await this.staleNoteRemoved;
    if (outcome.verdict.state === 'succeeded') return this.collect(outcome, uid);
    // The launcher knows more than the container state when fetch failed, or when main exited before the
    // user's code ran (the Python shim's package install): it left its own account in the store.
    const failure = launcherKnowsMore(outcome.verdict.failure)
      ? await this.launcherFailure(outcome.verdict.failure)
      : outcome.verdict.failure;
    const details = await this.failureDetails();
    await this.cleanUpFailed(outcome, uid, failure);
    this.log.warn('step failed', {
      ...this.meta,
      failureClass: failure.failureClass,
      reason: failure.reason,
      exitCode: failure.exitCode,
    });
    this.executor.collectSometimes(this.log);
    throw stepFailure({ ...failure, ...details });
  }

  /** The launcher's own account of a failure, when it left one: in the store, or in the static launcher's log. */
  private async launcherFailure(fallback: PodFailure): Promise<PodFailure> {
    if (!this.runsStaticLauncher()) return launcherFailure(this.executor.deps.store, this.req.executionKey, fallback);
    // Main exits 121 only after the launcher reported why it failed: its report is due in its log.
    const failure = await this.staticReport(
      (log) => readStaticLauncherLog(log).failure,
      fallback.exitCode === launcherFailedExitCode,
    );
    return failure ? launcherAccount(failure, fallback) : fallback;
  }

  /**
   * What `pick` finds in the static launcher's log. When it is `due` and not there yet, the log is read
   * again for up to 2 s: a container's last lines may reach its log file a moment after it exited.
   */
  private async staticReport<T>(pick: (log: string) => T | undefined, due: boolean): Promise<T | undefined> {
    for (let read = 1; ; read++) {
      const found = pick(await this.launcherLog());
      if (found !== undefined || !due || read >= 20) return found;
      await sleep(100);
      this.launcherText = undefined;
    }
  }

  /**
   * The launcher container's log, read once (saving the logs reuses it). Room for the static launcher's
   * report: at most maxStaticParamBytes of text, JSON-escaped (up to 6 bytes for one) and in base64 (4 for 3).
   */
  private launcherLog(): Promise<string> {
    this.launcherText ??= readContainerLog(
      this.executor.core,
      { ...this.pod, container: containerNames.launcher },
      { limitBytes: 8 * maxStaticParamBytes },
    ).catch(() => '');
    return this.launcherText;
  }

  /**
   * The executor-output record of a static launcher's pod, built from its report and written here (the
   * launcher has no store credentials); undefined when it reported nothing. A report that fails the
   * step (a missing or mistyped parameter) throws the Node launcher's user failure.
   */
  private async staticRecord(): Promise<ExecutorOutput | undefined> {
    const { deps } = this.executor;
    // The pod succeeded: main exited 0, and the launcher exited after it reported.
    const result = await this.staticReport((log) => readStaticLauncherLog(log).result, true);
    if (!result) return undefined;
    let record: ExecutorOutput;
    try {
      record = staticExecutorOutput(
        toLaunchRequest(this.req),
        result,
        deps.store.uriFor(stepLogKey(this.req.executionKey)),
      );
    } catch (error) {
      if (!(error instanceof LaunchError)) throw error;
      const failure = toStepFailure(toLaunchFailure(error));
      throw stepFailure({ ...failure, ...(await this.failureDetails()) });
    }
    // The record that stands: an earlier try of this attempt may have written it first.
    return writeExecutorOutput(deps.store, record);
  }

  /** The record the pod's launcher wrote, as the step's result; a pod that succeeded without one failed. */
  private async collect(outcome: MonitorOutcome, uid: string): Promise<StepResult> {
    const { core, deps, cleanup } = this.executor;
    // The record and the logs are independent: read (or, for the static launcher, written) while the logs are saved.
    const [record, logs] = await Promise.all([
      this.runsStaticLauncher() ? this.staticRecord() : waitForRecord(deps.store, this.req.executionKey),
      this.saveLogs(),
    ]);
    if (record) {
      // The outputs and logs are in the store: the step's result need not wait for the pod to go. A delete that
      // fails is logged, and the sweep of finished pods (collectFinishedPods) removes the pod later.
      if (cleanup.deleteSucceeded)
        deletePod(core, { ...this.pod, uid }).catch((error: unknown) =>
          this.log.warn('could not delete the succeeded pod', { ...this.meta, error: String(error) }),
        );
      this.executor.collectSometimes(this.log);
      const result = toStepResult(record, this.pod, mainTimes(outcome.latest));
      return logs ? { ...result, logUri: logs.uri } : result;
    }
    const failure = await launcherFailure(deps.store, this.req.executionKey, {
      failureClass: 'infrastructure',
      reason: 'OutputsNotPublished',
      message: 'the pod succeeded but the launcher left no executor-output record',
    });
    const details = await this.failureDetails();
    // A retry would adopt this pod and again find no record: it goes, so the retry runs the step afresh.
    if (failure.failureClass === 'infrastructure') {
      await replaceOnRetry(core, { ...this.pod, uid }).catch((error: unknown) => {
        this.log.warn('could not delete the pod that published no outputs', { ...this.meta, error: String(error) });
      });
    }
    throw stepFailure({ ...failure, ...details });
  }

  /** A failed pod stays for its TTL, unless a retry would meet it again or the TTL is 0. */
  private async cleanUpFailed(outcome: MonitorOutcome, uid: string, failure: PodFailure): Promise<void> {
    const { core, cleanup } = this.executor;
    let deleted = outcome.deletedByUs;
    if (!deleted && failure.failureClass === 'infrastructure' && podFinished(outcome.latest)) {
      // Temporal retries infrastructure failures, and the retry would find this pod again (by its heartbeat or by
      // its name) and read the same failure off it: with its logs saved, it goes, and the retry runs a fresh one.
      deleted = await replaceOnRetry(core, { ...this.pod, uid }).catch((error: unknown) => {
        this.log.warn('could not delete the pod that failed for an infrastructure reason', {
          ...this.meta,
          error: String(error),
        });
        return false;
      });
    }
    if (!deleted && (this.req.podTtlSeconds ?? cleanup.failedPodTtlSeconds) === 0) {
      // A TTL of 0 keeps nothing to look at: the logs are saved, the pod goes now rather than at the next sweep.
      await deletePod(core, { ...this.pod, uid }).catch((error: unknown) =>
        this.log.warn('could not delete the failed pod', { ...this.meta, error: String(error) }),
      );
    }
  }

  /** The pod and its saved log, for a failure's details. */
  private async failureDetails(): Promise<Omit<StepFailureDetails, 'reason' | 'exitCode'>> {
    const logs = await this.saveLogs();
    return { pod: this.pod, ...(logs && { logUri: logs.uri, logTail: logs.mainTail || logs.tail }) };
  }

  /** Saves every container's log to the store, once; a failure to do so is logged, never thrown. */
  private saveLogs(): Promise<SavedLogs | undefined> {
    if (this.saved) return Promise.resolve(this.saved);
    // One save at a time: a failure found while the logs are being saved waits for that save.
    this.saving ??= this.saveLogsOnce().finally(() => {
      this.saving = undefined;
    });
    return this.saving;
  }

  private async saveLogsOnce(): Promise<SavedLogs | undefined> {
    try {
      this.saved = await savePodLogs({
        kc: this.executor.deps.kube,
        core: this.executor.core,
        ...(this.executor.deps.logCapBytes !== undefined && { logCapBytes: this.executor.deps.logCapBytes }),
        store: this.executor.deps.store,
        ...this.pod,
        executionKey: this.req.executionKey,
        ...(this.attachedPod && { containers: containersOf(this.attachedPod) }),
        ...(this.runsStaticLauncher() && { launcherLog: this.launcherLog() }),
      });
    } catch (error) {
      this.log.warn('could not save the pod logs', { ...this.meta, error: String(error) });
    }
    return this.saved;
  }
}

/** The names of every container of `pod` (init containers included). */
function containersOf(pod: V1Pod): string[] {
  return [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].map((c) => c.name);
}
