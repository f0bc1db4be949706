// Runs one pod bound to this node, like the kubelet's pod worker: volumes, init
// containers in order (native sidecars keep running), main containers together,
// then sidecars stopped; deadline and deletion end it early. Reports every change
// as the pod's status through the real API and finally deletes a deleted pod.
import type * as k8s from '@kubernetes/client-node';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { ContainerSupervisor, type RestartPolicy, type SupervisorDeps } from './container-supervisor.js';
import { NODE_IP } from './env.js';
import { errorMessage, isNotFound, type KubeClients, mergePatch, nowIso, sleep } from './kube.js';
import type { EventRecorder } from './events.js';
import type { MemoryMonitor } from './memory-monitor.js';
import type { ObjectSource } from './object-source.js';
import type { PodCondition } from './status-types.js';
import { StatusSyncer } from './status-syncer.js';
import { prepareVolumes } from './volumes.js';

export interface RunnerDeps {
  clients: KubeClients;
  objects: ObjectSource;
  memory: MemoryMonitor;
  dataDir: string;
  nodeCpu: number;
  nodeMemory: number;
  imagePullFailPattern: RegExp | undefined;
  event: EventRecorder;
  log: Logger;
}

type Phase = 'Pending' | 'Running' | 'Succeeded' | 'Failed';
type StopReason = 'deleted' | 'deadline' | 'shutdown';

const OWN_CONDITIONS = ['PodReadyToStartContainers', 'Initialized', 'ContainersReady', 'Ready', 'PodScheduled'];

export function podDirFor(dataDir: string, uid: string): string {
  return path.join(dataDir, 'pods', uid);
}

export class PodRunner {
  pod: k8s.V1Pod;
  readonly uid: string;
  readonly podDir: string;
  private readonly log: Logger;
  private readonly syncer: StatusSyncer;
  private initSups: ContainerSupervisor[] = [];
  private mainSups: ContainerSupervisor[] = [];
  private phase: Phase = 'Pending';
  private reason: string | undefined;
  private message: string | undefined;
  private readonly startTime = nowIso();
  private volumesReady = false;
  private initialized = false;
  private stopping: StopReason | undefined;
  private readonly stopSignal = new AbortController();
  private readonly transitions = new Map<string, { status: string; time: string }>();
  private killTimer: NodeJS.Timeout | undefined;
  private disruption: PodCondition | undefined;
  private deadlineTimer: NodeJS.Timeout | undefined;
  done: Promise<void> = Promise.resolve();

  constructor(
    pod: k8s.V1Pod,
    private readonly deps: RunnerDeps,
  ) {
    this.pod = pod;
    this.uid = pod.metadata?.uid ?? '';
    this.podDir = podDirFor(deps.dataDir, this.uid);
    this.log = deps.log.child({ pod: `${pod.metadata?.namespace}/${pod.metadata?.name}` });
    this.syncer = new StatusSyncer(() => this.pushStatus(), this.log);
  }

  get terminal(): boolean {
    return this.phase === 'Succeeded' || this.phase === 'Failed';
  }

  container(name: string): ContainerSupervisor | undefined {
    return [...this.mainSups, ...this.initSups].find((s) => s.name === name);
  }

  start(): void {
    this.done = this.run().catch((err: unknown) => this.log.error({ err: errorMessage(err) }, 'pod runner failed'));
  }

  /** A newer version of the pod from the watch. */
  observe(pod: k8s.V1Pod): void {
    this.pod = pod;
    if (pod.metadata?.deletionTimestamp && this.stopping !== 'deleted') {
      const grace = pod.metadata.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
      this.log.info({ grace }, 'pod deleted: stopping containers');
      this.terminate('deleted', grace);
    }
  }

  /** Stops every container: SIGTERM now, SIGKILL after the grace period. */
  terminate(reason: StopReason, graceSeconds: number): void {
    // A deletion overrides a deadline/shutdown already under way (it must end in a delete).
    if (this.stopping && reason !== 'deleted') return;
    this.stopping = reason;
    this.stopSignal.abort();
    for (const sup of this.all().filter((s) => s.running)) {
      this.deps.event(this.pod, 'Normal', 'Killing', `Stopping container ${sup.name}`);
    }
    for (const sup of this.all()) sup.stop('SIGTERM');
    if (this.killTimer) clearTimeout(this.killTimer);
    this.killTimer = setTimeout(() => this.killAll(), Math.max(0, graceSeconds) * 1000);
    this.killTimer.unref();
  }

  killAll(): void {
    for (const sup of this.all()) sup.kill();
  }

  private all(): ContainerSupervisor[] {
    return [...this.initSups, ...this.mainSups];
  }

  private async run(): Promise<void> {
    mkdirSync(this.podDir, { recursive: true });
    const spec = this.pod.spec;
    const podPolicy = (spec?.restartPolicy ?? 'Always') as RestartPolicy;
    const hasInit = (spec?.initContainers?.length ?? 0) > 0;
    const volumes = new Map<string, string>();
    const supDeps: SupervisorDeps = {
      pod: () => this.pod,
      podDir: this.podDir,
      volumes,
      objects: this.deps.objects,
      memory: this.deps.memory,
      nodeCpu: this.deps.nodeCpu,
      nodeMemory: this.deps.nodeMemory,
      imagePullFailPattern: this.deps.imagePullFailPattern,
      changed: () => this.syncer.request(),
      event: this.deps.event,
      log: this.log,
    };
    const firstWaiting = hasInit ? 'PodInitializing' : 'ContainerCreating';
    this.initSups = (spec?.initContainers ?? []).map((c) =>
      c.restartPolicy === 'Always'
        ? new ContainerSupervisor(c, 'sidecar', 'Always', firstWaiting, supDeps)
        : new ContainerSupervisor(c, 'init', podPolicy === 'Never' ? 'Never' : 'OnFailure', firstWaiting, supDeps),
    );
    this.mainSups = (spec?.containers ?? []).map(
      (c) => new ContainerSupervisor(c, 'main', podPolicy, firstWaiting, supDeps),
    );
    this.syncer.request();

    const deadline = spec?.activeDeadlineSeconds;
    if (deadline !== undefined) {
      const elapsed = Date.now() - new Date(String(this.pod.status?.startTime ?? this.startTime)).getTime();
      this.deadlineTimer = setTimeout(
        () => {
          this.log.info({ deadline }, 'activeDeadlineSeconds exceeded');
          this.deps.event(
            this.pod,
            'Normal',
            'DeadlineExceeded',
            'Pod was active on the node longer than the specified deadline',
          );
          this.terminate('deadline', spec?.terminationGracePeriodSeconds ?? 30);
        },
        Math.max(0, deadline * 1000 - elapsed),
      );
      this.deadlineTimer.unref();
    }

    await this.prepareVolumes(volumes);
    const initOk = this.stopping ? false : await this.runInitContainers();
    if (initOk && !this.stopping) {
      this.initialized = true;
      this.syncer.request();
      await Promise.all(this.mainSups.map((s) => s.run()));
    }
    await this.stopSidecars();
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    if (this.killTimer) clearTimeout(this.killTimer);
    this.finish(initOk);
    await this.syncer.flush();
    if (this.stopping === 'deleted') await this.finalDelete();
  }

  private async prepareVolumes(into: Map<string, string>): Promise<void> {
    while (!this.stopping) {
      try {
        for (const [k, v] of await prepareVolumes({ pod: this.pod, podDir: this.podDir, ...this.deps })) into.set(k, v);
        this.volumesReady = true;
        this.syncer.request();
        return;
      } catch (err) {
        // Like the kubelet's FailedMount: containers stay ContainerCreating, retried.
        this.log.warn({ err: errorMessage(err) }, 'volume setup failed; retrying');
        this.deps.event(this.pod, 'Warning', 'FailedMount', errorMessage(err));
        await sleep(2000, this.stopSignal.signal);
      }
    }
  }

  private async runInitContainers(): Promise<boolean> {
    this.sidecarRuns = [];
    for (const sup of this.initSups) {
      if (this.stopping) return false;
      if (sup.kind === 'sidecar') {
        this.sidecarRuns.push(sup.run());
        // The kubelet starts the next init container only once the sidecar has started.
        while (!sup.started && !this.stopping && sup.lastExitCode === undefined) await sleep(50);
        continue;
      }
      const exitCode = await sup.run();
      if (exitCode !== 0) return false;
    }
    return true;
  }

  private sidecarRuns: Promise<number | undefined>[] = [];

  private async stopSidecars(): Promise<void> {
    const sidecars = this.initSups.filter((s) => s.kind === 'sidecar');
    if (sidecars.length === 0) return;
    for (const s of sidecars) s.stop('SIGTERM');
    const grace = this.pod.spec?.terminationGracePeriodSeconds ?? 30;
    const timer = setTimeout(() => sidecars.forEach((s) => s.kill()), grace * 1000);
    await Promise.all(this.sidecarRuns);
    clearTimeout(timer);
  }

  private finish(initOk: boolean): void {
    if (this.stopping === 'deadline') {
      this.phase = 'Failed';
      this.reason = 'DeadlineExceeded';
      this.message = `Pod was active on the node longer than the specified deadline`;
    } else if (this.stopping === 'shutdown') {
      // What the kubelet's graceful node shutdown reports, so clients classify it as infrastructure.
      this.phase = 'Failed';
      this.reason = 'Terminated';
      this.message = 'Pod was terminated in response to imminent node shutdown.';
      this.disruption = {
        type: 'DisruptionTarget',
        status: 'True',
        reason: 'TerminationByKubelet',
        message: this.message,
        lastTransitionTime: nowIso(),
        lastProbeTime: null,
      };
    } else if (!initOk) {
      this.phase = 'Failed';
    } else {
      const allOk = this.mainSups.every((s) => s.lastExitCode === 0);
      this.phase = allOk ? 'Succeeded' : 'Failed';
    }
    this.log.info({ phase: this.phase, reason: this.reason }, 'pod finished');
    this.syncer.request();
  }

  private async finalDelete(): Promise<void> {
    const { namespace = 'default', name = '' } = this.pod.metadata ?? {};
    try {
      await this.deps.clients.core.deleteNamespacedPod({
        namespace,
        name,
        gracePeriodSeconds: 0,
        body: { gracePeriodSeconds: 0, preconditions: { uid: this.uid } },
      });
      this.log.info('pod removed (final delete)');
    } catch (err) {
      if (!isNotFound(err)) this.log.warn({ err: errorMessage(err) }, 'final delete failed');
    }
  }

  private currentPhase(): Phase {
    if (this.terminal) return this.phase;
    const mainsStarted = this.mainSups.some((s) => s.started || s.lastExitCode !== undefined);
    return this.initialized && mainsStarted ? 'Running' : 'Pending';
  }

  private condition(type: string, ok: boolean, reason?: string, message?: string): PodCondition {
    const status = ok ? 'True' : 'False';
    let t = this.transitions.get(type);
    if (!t || t.status !== status) {
      t = { status, time: nowIso() };
      this.transitions.set(type, t);
    }
    return {
      type,
      status,
      ...(reason ? { reason } : {}),
      ...(message ? { message } : {}),
      lastTransitionTime: t.time,
      lastProbeTime: null,
    };
  }

  private conditions(phase: Phase): PodCondition[] {
    const done = phase === 'Succeeded' || phase === 'Failed';
    const pendingInit = this.initSups.filter((s) => s.kind === 'init' && s.lastExitCode !== 0).map((s) => s.name);
    const unready = [...this.initSups.filter((s) => s.kind === 'sidecar'), ...this.mainSups]
      .filter((s) => !s.ready)
      .map((s) => s.name);
    const initialized = this.initialized || pendingInit.length === 0;
    const ready = !done && unready.length === 0 && this.initialized;
    const notReadyReason = done ? 'PodCompleted' : 'ContainersNotReady';
    const notReadyMsg = done ? undefined : `containers with unready status: [${unready.join(' ')}]`;
    return [
      this.condition('PodReadyToStartContainers', this.volumesReady && !done),
      initialized
        ? this.condition('Initialized', true, done && this.initSups.length ? 'PodCompleted' : undefined)
        : this.condition(
            'Initialized',
            false,
            'ContainersNotInitialized',
            `containers with incomplete status: [${pendingInit.join(' ')}]`,
          ),
      ready
        ? this.condition('ContainersReady', true)
        : this.condition('ContainersReady', false, notReadyReason, notReadyMsg),
      ready ? this.condition('Ready', true) : this.condition('Ready', false, notReadyReason, notReadyMsg),
      this.condition('PodScheduled', true),
    ];
  }

  private async pushStatus(): Promise<void> {
    const phase = this.currentPhase();
    const foreign = (this.pod.status?.conditions ?? []).filter(
      (c) => !OWN_CONDITIONS.includes(c.type) && c.type !== this.disruption?.type,
    );
    const status = {
      phase,
      reason: this.reason ?? null,
      message: this.message ?? null,
      conditions: [...this.conditions(phase), ...foreign, ...(this.disruption ? [this.disruption] : [])],
      hostIP: NODE_IP,
      hostIPs: [{ ip: NODE_IP }],
      podIP: NODE_IP,
      podIPs: [{ ip: NODE_IP }],
      startTime: this.startTime,
      initContainerStatuses: this.initSups.map((s) => s.status()),
      containerStatuses: this.mainSups.map((s) => s.status()),
    };
    const { namespace = 'default', name = '' } = this.pod.metadata ?? {};
    await this.deps.clients.core.patchNamespacedPodStatus({ namespace, name, body: { status } }, mergePatch);
  }
}
