// Keeps a cache of all pods: list, then watch from the list's resourceVersion.
// Every watch is capped (timeoutSeconds + an inactivity watchdog) and followed
// by a fresh list, so a watch that dies silently or a 410 Gone costs at most
// one cycle, and deletions missed in between are found by diffing the list.
import * as k8s from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { errorMessage, sleep } from './kube.js';

export type PodEvent = 'ADDED' | 'MODIFIED' | 'DELETED';

const WATCH_SECONDS = 60;
const INACTIVITY_MS = 90_000;

// Watch events are raw JSON while list results are deserialized (Dates); one
// JSON round trip gives both the same shape.
const plain = <T>(obj: T): T => JSON.parse(JSON.stringify(obj)) as T;

export class PodWatcher {
  readonly pods = new Map<string, k8s.V1Pod>();
  private stopped = false;
  private abort: AbortController | undefined;
  private readonly stopSignal = new AbortController();
  private firstList: Promise<void>;
  private resolveFirst!: () => void;

  constructor(
    private readonly kc: k8s.KubeConfig,
    private readonly core: k8s.CoreV1Api,
    private readonly onEvent: (type: PodEvent, pod: k8s.V1Pod) => void,
    private readonly log: Logger,
  ) {
    this.firstList = new Promise((resolve) => (this.resolveFirst = resolve));
  }

  /** Resolves after the first successful list has been delivered. */
  synced(): Promise<void> {
    return this.firstList;
  }

  start(): void {
    void this.loop();
  }

  stop(): void {
    this.stopped = true;
    this.stopSignal.abort();
    this.abort?.abort();
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      try {
        const rv = await this.relist();
        this.resolveFirst();
        await this.watchOnce(rv);
      } catch (err) {
        this.log.warn({ err: errorMessage(err) }, 'pod list/watch failed; retrying');
        await sleep(1000, this.stopSignal.signal);
      }
    }
  }

  private async relist(): Promise<string> {
    const list = await this.core.listPodForAllNamespaces();
    const seen = new Set<string>();
    for (const item of list.items) {
      const pod = plain(item);
      const uid = pod.metadata?.uid ?? '';
      seen.add(uid);
      this.apply(this.pods.has(uid) ? 'MODIFIED' : 'ADDED', pod);
    }
    for (const [uid, pod] of [...this.pods]) if (!seen.has(uid)) this.apply('DELETED', pod);
    return list.metadata?.resourceVersion ?? '';
  }

  private apply(type: PodEvent, pod: k8s.V1Pod): void {
    const uid = pod.metadata?.uid ?? '';
    const old = this.pods.get(uid);
    if (type === 'DELETED') {
      if (!old) return;
      this.pods.delete(uid);
    } else {
      if (old && old.metadata?.resourceVersion === pod.metadata?.resourceVersion) return;
      this.pods.set(uid, pod);
    }
    try {
      this.onEvent(type, pod);
    } catch (err) {
      this.log.error({ err: errorMessage(err) }, 'pod event handler failed');
    }
  }

  private watchOnce(resourceVersion: string): Promise<void> {
    return new Promise<void>((resolve) => {
      let watchdog: NodeJS.Timeout | undefined;
      let finished = false;
      const finish = (): void => {
        if (finished) return;
        finished = true;
        clearTimeout(watchdog);
        this.stopSignal.signal.removeEventListener('abort', finish);
        this.abort?.abort();
        resolve();
      };
      const pet = (): void => {
        clearTimeout(watchdog);
        watchdog = setTimeout(() => {
          this.log.warn('pod watch inactive; restarting it');
          finish();
        }, INACTIVITY_MS);
      };
      pet();
      new k8s.Watch(this.kc)
        .watch(
          '/api/v1/pods',
          { resourceVersion, allowWatchBookmarks: true, timeoutSeconds: WATCH_SECONDS },
          (type: string, obj: k8s.V1Pod) => {
            pet();
            if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED') this.apply(type, obj);
            // ERROR (e.g. 410 Gone) ends this watch; the loop relists.
            else if (type === 'ERROR') finish();
          },
          () => finish(),
        )
        .then((controller) => {
          this.abort = controller;
          if (finished || this.stopped) controller.abort();
        })
        .catch((err: unknown) => {
          this.log.warn({ err: errorMessage(err) }, 'pod watch failed to start');
          finish();
        });
      this.stopSignal.signal.addEventListener('abort', finish, { once: true });
    });
  }
}
