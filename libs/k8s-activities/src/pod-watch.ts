/**
 * A durable watch on one pod (checklist items 3 and 4): list, then watch from
 * the list's resourceVersion (or, when the caller has just read the pod, from
 * the pod's own resourceVersion without a list); resume after the server
 * closes a watch; relist on 410 Gone (the version is older than the server's
 * watch window, e.g. the pod has not changed since the API server restarted)
 * and on any error; cap each watch with `timeoutSeconds`; abort a watch
 * that has been silent longer than the inactivity limit; and GET the pod on a
 * timer regardless. client-node watches can die without calling back
 * (kubernetes-client/javascript #596, #958, #3020): any one of these paths alone
 * would eventually hang a step, together they cannot.
 *
 * The watch only reports pods. It does not heartbeat: the activity heartbeats
 * on its own timer, so a quiet pod still proves the worker alive.
 */
import { ApiException, Watch, type CoreV1Api, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { sleep, statusOf } from '@kiln/kube';

export interface PodWatchOptions {
  kc: KubeConfig;
  core: CoreV1Api;
  namespace: string;
  name: string;
  /** Called with every newer version of the pod, and with `undefined` once it no longer exists. */
  onPod: (pod: V1Pod | undefined) => void;
  /** Server-side cap of each watch request. Default 60 s. */
  watchTimeoutSeconds?: number;
  /** A watch with no event (bookmarks count) for this long is presumed dead. Default 90 s. */
  inactivityMs?: number;
  /** Interval of the safety-net GET. Default 15 s. */
  pollMs?: number;
  /**
   * The resourceVersion of the pod as the caller last read it (e.g. right after
   * creating or reattaching to it): the first watch starts there, which saves
   * the initial list. A version the server no longer has ends in 410 Gone and a list.
   */
  startFrom?: string;
  /** Something went wrong and was handled (for logs). */
  onTrouble?: (what: string, error: unknown) => void;
}

type WatchEnd =
  | { kind: 'closed' }
  | { kind: 'gone' }
  | { kind: 'failed'; error: unknown }
  | { kind: 'stalled' }
  | { kind: 'stopped' };

/** Numeric comparison when both versions are numbers (they are, from etcd); opaque strings are taken as newer. */
function isOlder(candidate: string | undefined, than: string | undefined): boolean {
  if (!candidate || !than || !/^\d+$/.test(candidate) || !/^\d+$/.test(than)) return false;
  return BigInt(candidate) < BigInt(than);
}

/**
 * Watches one pod until stopped.
 *
 * @example
 * ```ts
 * const watch = new PodWatch({ kc, core, namespace, name, onPod: (pod) => latest = pod });
 * watch.start();
 * // ... later
 * watch.stop();
 * ```
 */
export class PodWatch {
  private stopped = false;
  private readonly stopSignal = new AbortController();
  private current: AbortController | undefined;
  private poller: NodeJS.Timeout | undefined;
  private latestVersion: string | undefined;
  private running: Promise<void> | undefined;
  /** How many times the pod list was (re)read: 1 + relists. For tests and metrics. */
  lists = 0;
  /** How many watch requests were opened. */
  watches = 0;
  /** How many watches the server ended with 410 Gone (the version was too old). */
  expired = 0;

  constructor(private readonly o: PodWatchOptions) {
    this.latestVersion = o.startFrom;
  }

  start(): void {
    if (this.running) return;
    this.running = this.loop();
    this.poller = setInterval(() => void this.poll(), this.o.pollMs ?? 15_000);
  }

  /** Stops the watch and the poller; resolves when the loop has exited. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopSignal.abort();
    if (this.poller) clearInterval(this.poller);
    this.current?.abort();
    await this.running;
  }

  /** Reads the pod now (the safety net; also callable when a caller suspects staleness). */
  async poll(): Promise<void> {
    if (this.stopped) return;
    try {
      const pod = await this.o.core.readNamespacedPod({ namespace: this.o.namespace, name: this.o.name });
      this.deliver(pod);
    } catch (error) {
      if (statusOf(error) === 404) this.deliver(undefined);
      else this.o.onTrouble?.('pod GET failed', error);
    }
  }

  private deliver(pod: V1Pod | undefined): void {
    if (this.stopped) return;
    if (pod) {
      const version = pod.metadata?.resourceVersion;
      // A slow GET must not roll back what a faster watch event already showed.
      if (isOlder(version, this.latestVersion)) return;
      this.latestVersion = version;
    }
    this.o.onPod(pod);
  }

  private async loop(): Promise<void> {
    let backoff = 250;
    let startFrom = this.o.startFrom;
    while (!this.stopped) {
      let version: string | undefined = startFrom;
      startFrom = undefined;
      if (!version) {
        try {
          version = await this.list();
          backoff = 250;
        } catch (error) {
          this.o.onTrouble?.('pod list failed', error);
          await sleep(backoff, this.stopSignal.signal);
          backoff = Math.min(backoff * 2, 5_000);
          continue;
        }
      }
      while (!this.stopped && version) {
        const end = await this.watchFrom(version);
        if (end.kind === 'closed') {
          // The server ended the watch at timeoutSeconds: resume where we were, no relist needed.
          version = this.latestWatchVersion ?? version;
          continue;
        }
        if (end.kind === 'gone') {
          this.expired++;
          this.o.onTrouble?.(`pod watch from resourceVersion ${version} expired (410 Gone); relisting`, undefined);
        } else if (end.kind === 'failed') {
          this.o.onTrouble?.('pod watch failed; relisting', end.error);
          await sleep(backoff, this.stopSignal.signal);
          backoff = Math.min(backoff * 2, 5_000);
        } else if (end.kind === 'stalled') {
          this.o.onTrouble?.('pod watch silent past the inactivity limit; relisting', undefined);
        }
        break; // gone (410), failed or stalled: relist
      }
    }
  }

  private latestWatchVersion: string | undefined;

  private async list(): Promise<string | undefined> {
    this.lists++;
    const list = await this.o.core.listNamespacedPod({
      namespace: this.o.namespace,
      fieldSelector: `metadata.name=${this.o.name}`,
    });
    this.deliver(list.items[0]);
    this.latestWatchVersion = list.metadata?.resourceVersion;
    return list.metadata?.resourceVersion;
  }

  private watchFrom(resourceVersion: string): Promise<WatchEnd> {
    return new Promise<WatchEnd>((resolve) => {
      let settled = false;
      let controller: AbortController | undefined;
      const inactivityMs = this.o.inactivityMs ?? 90_000;
      let watchdog: NodeJS.Timeout | undefined;
      const finish = (end: WatchEnd) => {
        if (settled) return;
        settled = true;
        if (watchdog) clearTimeout(watchdog);
        this.stopSignal.signal.removeEventListener('abort', onStop);
        controller?.abort();
        resolve(end);
      };
      const onStop = () => finish({ kind: 'stopped' });
      const arm = () => {
        if (watchdog) clearTimeout(watchdog);
        watchdog = setTimeout(() => finish({ kind: 'stalled' }), inactivityMs);
      };
      this.stopSignal.signal.addEventListener('abort', onStop, { once: true });
      arm();
      this.watches++;
      new Watch(this.o.kc)
        .watch(
          `/api/v1/namespaces/${encodeURIComponent(this.o.namespace)}/pods`,
          {
            fieldSelector: `metadata.name=${this.o.name}`,
            resourceVersion,
            allowWatchBookmarks: true,
            timeoutSeconds: this.o.watchTimeoutSeconds ?? 60,
          },
          (type: string, object: unknown) => {
            arm();
            if (type === 'ERROR') {
              const code = (object as { code?: number } | undefined)?.code;
              finish(
                code === 410
                  ? { kind: 'gone' }
                  : { kind: 'failed', error: new ApiException(code ?? 500, 'watch error event', object, {}) },
              );
              return;
            }
            // Watch events are raw JSON: the same shape as V1Pod, with timestamps as strings (see `timeMs`).
            const pod = object as V1Pod;
            const version = pod.metadata?.resourceVersion;
            if (version) this.latestWatchVersion = version;
            if (type === 'BOOKMARK') return;
            this.deliver(type === 'DELETED' ? undefined : pod);
          },
          (error: unknown) => finish(error ? { kind: 'failed', error } : { kind: 'closed' }),
        )
        .then(
          (c) => {
            controller = c;
            this.current = c;
            if (settled) c.abort();
          },
          (error: unknown) => finish({ kind: 'failed', error }),
        );
    });
  }
}
