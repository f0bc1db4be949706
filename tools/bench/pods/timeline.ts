/**
 * When each pod of the namespace reached each stage, as seen by one watch in
 * the benchmark process (local monotonic clock, `performance.now()`). The same
 * passive observer times both variants; Kubernetes' own timestamps have
 * one-second resolution, too coarse for steps this short.
 */
import { Watch, type KubeConfig, type V1ContainerStatus, type V1Pod } from '@kubernetes/client-node';

export interface PodTimes {
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** First event for the pod (its creation). */
  addedAt: number;
  /** The init container `kiln-fetch` seen terminated (Kiln pods only). */
  fetchDoneAt?: number;
  /** The container `main` seen terminated. */
  mainDoneAt?: number;
  succeededAt?: number;
  failedAt?: number;
  deletedAt?: number;
}

const terminated = (statuses: V1ContainerStatus[] | undefined, name: string) =>
  statuses?.some((s) => s.name === name && s.state?.terminated) === true;

export class PodTimeline {
  readonly pods = new Map<string, PodTimes>();
  private stopped = false;
  private controller: AbortController | undefined;
  private loop: Promise<void> | undefined;
  /** Watches that ended in an error (each followed by a fresh watch from the last version). */
  errors = 0;

  constructor(
    private readonly kc: KubeConfig,
    private readonly namespace: string,
  ) {}

  /** Starts watching from "now" (resourceVersion unset = the current state, then changes). */
  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.controller?.abort();
    await this.loop;
  }

  private see(type: string, pod: V1Pod, at: number): void {
    const name = pod.metadata?.name;
    if (!name) return;
    let times = this.pods.get(name);
    if (!times) {
      times = { name, labels: pod.metadata?.labels ?? {}, annotations: pod.metadata?.annotations ?? {}, addedAt: at };
      this.pods.set(name, times);
    }
    if (times.fetchDoneAt === undefined && terminated(pod.status?.initContainerStatuses, 'kiln-fetch'))
      times.fetchDoneAt = at;
    if (times.mainDoneAt === undefined && terminated(pod.status?.containerStatuses, 'main')) times.mainDoneAt = at;
    if (times.succeededAt === undefined && pod.status?.phase === 'Succeeded') times.succeededAt = at;
    if (times.failedAt === undefined && pod.status?.phase === 'Failed') times.failedAt = at;
    if (type === 'DELETED') times.deletedAt = at;
  }

  private async run(): Promise<void> {
    let resourceVersion: string | undefined;
    while (!this.stopped) {
      await new Promise<void>((done) => {
        new Watch(this.kc)
          .watch(
            `/api/v1/namespaces/${encodeURIComponent(this.namespace)}/pods`,
            { ...(resourceVersion ? { resourceVersion } : {}), allowWatchBookmarks: true, timeoutSeconds: 60 },
            (type: string, object: unknown) => {
              const at = performance.now();
              if (type === 'ERROR') {
                // 410 Gone: start over from the current state.
                resourceVersion = undefined;
                return;
              }
              const pod = object as V1Pod;
              if (pod.metadata?.resourceVersion) resourceVersion = pod.metadata.resourceVersion;
              if (type !== 'BOOKMARK') this.see(type, pod, at);
            },
            (error: unknown) => {
              if (error && !this.stopped) this.errors++;
              done();
            },
          )
          .then(
            (controller) => {
              this.controller = controller;
              if (this.stopped) controller.abort();
            },
            () => {
              this.errors++;
              done();
            },
          );
      });
    }
  }
}
