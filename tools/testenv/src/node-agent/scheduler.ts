// The single-node scheduler: binds pending default-scheduler pods that fit,
// marks the others PodScheduled=False/Unschedulable and retries them on every
// pass (pod events trigger a pass; a timer is the safety net).
import type * as k8s from '@kubernetes/client-node';
import * as k8sApi from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { EventRecorder } from './events.js';
import { checkFit, podRequests } from './fit.js';
import { errorMessage, isConflict, isNotFound, nowIso } from './kube.js';
import { addInto, type ResourceList } from './quantity.js';

export interface SchedulerDeps {
  core: k8s.CoreV1Api;
  nodeName: string;
  /** Only pods naming this scheduler (an empty name means default-scheduler) are bound. */
  schedulerName: string;
  labels: Record<string, string>;
  allocatable: ResourceList;
  pods: () => Iterable<k8s.V1Pod>;
  event: EventRecorder;
  log: Logger;
}

const strategicMerge = k8sApi.setHeaderOptions('Content-Type', k8sApi.PatchStrategy.StrategicMergePatch);

const isTerminal = (pod: k8s.V1Pod): boolean => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

export class Scheduler {
  private timer: NodeJS.Timeout | undefined;
  private kickTimer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  /** Bound by us but not yet seen bound in the watch: still counts against allocatable. */
  private readonly justBound = new Map<string, ResourceList>();
  /** Last Unschedulable message written per pod uid: the cache may lag behind our own patch. */
  private readonly reported = new Map<string, string>();

  constructor(private readonly deps: SchedulerDeps) {}

  start(intervalMs = 2000): void {
    this.timer = setInterval(() => this.kick(), intervalMs);
    this.kick();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.kickTimer) clearTimeout(this.kickTimer);
  }

  /** The pod is gone: drop what we remembered about it. */
  forget(uid: string): void {
    this.reported.delete(uid);
    this.justBound.delete(uid);
  }

  /** Schedules a pass soon; bursts of pod events collapse into one pass. */
  kick(): void {
    this.kickTimer ??= setTimeout(() => {
      this.kickTimer = undefined;
      if (this.running) {
        this.again = true;
        return;
      }
      this.running = this.pass()
        .catch((err: unknown) => this.deps.log.error({ err: errorMessage(err) }, 'scheduling pass failed'))
        .finally(() => {
          this.running = undefined;
          if (this.again) {
            this.again = false;
            this.kick();
          }
        });
    }, 50);
  }

  private async pass(): Promise<void> {
    const { nodeName } = this.deps;
    const pods = [...this.deps.pods()];
    const used: ResourceList = {};
    for (const pod of pods) {
      const uid = pod.metadata?.uid ?? '';
      if (pod.spec?.nodeName) {
        this.justBound.delete(uid);
        this.reported.delete(uid);
      }
      if (pod.spec?.nodeName === nodeName && !isTerminal(pod)) addInto(used, podRequests(pod));
    }
    for (const req of this.justBound.values()) addInto(used, req);

    const pending = pods
      .filter((p) => !p.spec?.nodeName && !p.metadata?.deletionTimestamp && !isTerminal(p))
      .filter((p) => (p.spec?.schedulerName || 'default-scheduler') === this.deps.schedulerName)
      .filter((p) => !this.justBound.has(p.metadata?.uid ?? ''))
      .sort(
        (a, b) =>
          (b.spec?.priority ?? 0) - (a.spec?.priority ?? 0) ||
          new Date(String(a.metadata?.creationTimestamp)).getTime() -
            new Date(String(b.metadata?.creationTimestamp)).getTime(),
      );
    const node = { name: nodeName, labels: this.deps.labels, allocatable: this.deps.allocatable };
    for (const pod of pending) {
      const fit = checkFit(pod, node, used);
      if (fit.fits) {
        if (await this.bind(pod)) {
          const req = podRequests(pod);
          this.justBound.set(pod.metadata?.uid ?? '', req);
          addInto(used, req);
        }
      } else {
        await this.markUnschedulable(pod, fit.message);
      }
    }
  }

  private async bind(pod: k8s.V1Pod): Promise<boolean> {
    const { namespace = 'default', name = '' } = pod.metadata ?? {};
    try {
      await this.deps.core.createNamespacedPodBinding({
        namespace,
        name,
        body: {
          apiVersion: 'v1',
          kind: 'Binding',
          metadata: { name, namespace, uid: pod.metadata?.uid },
          target: { apiVersion: 'v1', kind: 'Node', name: this.deps.nodeName },
        },
      });
      this.deps.log.info({ pod: `${namespace}/${name}` }, 'bound pod');
      this.deps.event(
        pod,
        'Normal',
        'Scheduled',
        `Successfully assigned ${namespace}/${name} to ${this.deps.nodeName}`,
      );
      return true;
    } catch (err) {
      // Already bound or gone: the watch will tell us what happened.
      if (!isConflict(err) && !isNotFound(err))
        this.deps.log.warn({ pod: `${namespace}/${name}`, err: errorMessage(err) }, 'bind failed');
      return false;
    }
  }

  private async markUnschedulable(pod: k8s.V1Pod, message: string): Promise<void> {
    const uid = pod.metadata?.uid ?? '';
    const existing = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    if (existing?.status === 'False' && existing.reason === 'Unschedulable' && existing.message === message) return;
    if (this.reported.get(uid) === message) return;
    this.reported.set(uid, message);
    const { namespace = 'default', name = '' } = pod.metadata ?? {};
    const condition = {
      type: 'PodScheduled',
      status: 'False',
      reason: 'Unschedulable',
      message,
      lastTransitionTime: nowIso(),
      lastProbeTime: null,
    };
    try {
      // Strategic merge keys conditions by type, so only PodScheduled changes.
      await this.deps.core.patchNamespacedPodStatus(
        { namespace, name, body: { status: { conditions: [condition] } } },
        strategicMerge,
      );
      this.deps.log.info({ pod: `${namespace}/${name}`, message }, 'pod unschedulable');
      this.deps.event(pod, 'Warning', 'FailedScheduling', message);
    } catch (err) {
      if (!isNotFound(err))
        this.deps.log.warn({ pod: `${namespace}/${name}`, err: errorMessage(err) }, 'could not mark pod unschedulable');
    }
  }
}
