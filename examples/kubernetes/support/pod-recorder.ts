/**
 * Records every Kiln pod that appears in a namespace while a test runs. Pods
 * of succeeded steps are deleted as soon as their outputs are saved, so a
 * list after the run finds nothing; a watch sees each pod come and go. Each
 * watch is capped by the server (`timeoutSeconds`) and reopened from the last
 * resourceVersion, relisting when that version is too old (410).
 */
import { CoreV1Api, Watch, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { annotationKeys, labelKeys, managedByKiln } from '@kiln/kube';

export interface RecordedPod {
  name: string;
  /** The newest version seen (the last one before deletion, for deleted pods). */
  latest: V1Pod;
  /** Every phase the pod was seen in, in order, without repeats. */
  phases: string[];
  /** Whether the pod's main container was ever seen running. */
  mainRan: boolean;
  deleted: boolean;
}

export class PodRecorder {
  private readonly pods = new Map<string, RecordedPod>();
  private readonly core: CoreV1Api;
  private stopped = false;
  private controller: AbortController | undefined;
  private running: Promise<void> | undefined;
  /** How many times the watch broke and the pods were relisted. */
  gaps = 0;

  constructor(
    private readonly kc: KubeConfig,
    private readonly namespace: string,
  ) {
    this.core = kc.makeApiClient(CoreV1Api);
  }

  /** Lists the namespace's Kiln pods, then watches from there until `stop()`. */
  async start(): Promise<void> {
    const list = await this.core.listNamespacedPod({ namespace: this.namespace, labelSelector: this.selector() });
    for (const pod of list.items) this.see('ADDED', pod);
    this.running = this.loop(list.metadata?.resourceVersion ?? '');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.controller?.abort();
    await this.running;
  }

  /** Pods of one run (by the workflow id annotation every Kiln pod carries). */
  podsOfRun(workflowId: string): RecordedPod[] {
    return [...this.pods.values()].filter(
      (p) => p.latest.metadata?.annotations?.[annotationKeys.workflowId] === workflowId,
    );
  }

  private selector(): string {
    return `${labelKeys.managedBy}=${managedByKiln}`;
  }

  private see(type: string, pod: V1Pod): void {
    const name = pod.metadata?.name;
    if (!name) return;
    const seen = this.pods.get(name) ?? { name, latest: pod, phases: [], mainRan: false, deleted: false };
    seen.latest = pod;
    const phase = pod.status?.phase;
    if (phase && seen.phases[seen.phases.length - 1] !== phase) seen.phases.push(phase);
    const main = pod.status?.containerStatuses?.find((s) => s.name === 'main');
    if (main?.state?.running || main?.state?.terminated?.startedAt) seen.mainRan = true;
    if (type === 'DELETED') seen.deleted = true;
    this.pods.set(name, seen);
  }

  private async loop(fromVersion: string): Promise<void> {
    let resourceVersion = fromVersion;
    while (!this.stopped) {
      const end = await new Promise<'closed' | 'gone' | 'failed'>((settle) => {
        new Watch(this.kc)
          .watch(
            `/api/v1/namespaces/${encodeURIComponent(this.namespace)}/pods`,
            { labelSelector: this.selector(), resourceVersion, allowWatchBookmarks: true, timeoutSeconds: 30 },
            (type: string, object: unknown) => {
              if (type === 'ERROR') return settle((object as { code?: number }).code === 410 ? 'gone' : 'failed');
              const pod = object as V1Pod;
              if (pod.metadata?.resourceVersion) resourceVersion = pod.metadata.resourceVersion;
              if (type !== 'BOOKMARK') this.see(type, pod);
            },
            (error: unknown) => settle(error && !this.stopped ? 'failed' : 'closed'),
          )
          .then(
            (controller) => {
              this.controller = controller;
              if (this.stopped) controller.abort();
            },
            () => settle('failed'),
          );
      });
      if (end === 'closed' || this.stopped) continue;
      // Too old, or the connection broke: relist. A pod created and deleted in
      // the gap is missed; `gaps` lets a test's message say why a pod is missing.
      this.gaps++;
      if (end === 'failed') await new Promise((r) => setTimeout(r, 250));
      try {
        const list = await this.core.listNamespacedPod({ namespace: this.namespace, labelSelector: this.selector() });
        for (const pod of list.items) this.see('MODIFIED', pod);
        resourceVersion = list.metadata?.resourceVersion ?? '';
      } catch {
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }
}
