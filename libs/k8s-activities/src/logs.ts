/**
 * Step logs (checklist item 9): saved to the artifact store before the pod is
 * deleted (KFP loses them with the pod: #10036), and streamable while the step
 * runs. Following uses client-node's `Log` with `follow`, but never trusts the
 * stream to end by itself (Airflow's follow hangs: #23497, #28336): when the
 * stream ends or goes quiet, the container's state is checked, and a container
 * still running is followed again from the last timestamp seen.
 */
import { PassThrough, type Writable } from 'node:stream';
import { Log, type CoreV1Api, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import type { ArtifactStore } from '@kiln/artifacts';
import { stepLogKey } from '@kiln/store-layout';
import { statusOf, withApiRetry } from './api-retry';
import { containerNames } from './in-pod/layout';

/** The last `lines` lines of a text. */
export function tailOf(text: string, lines = 50): string {
  return text.replace(/\n+$/, '').split('\n').slice(-lines).join('\n');
}

/** One container's log so far ('' if it never started or the pod is gone). */
export async function readContainerLog(
  core: CoreV1Api,
  target: { namespace: string; name: string; container: string },
  options: { limitBytes?: number; tailLines?: number } = {},
): Promise<string> {
  try {
    return await withApiRetry(
      () =>
        core.readNamespacedPodLog({
          namespace: target.namespace,
          name: target.name,
          container: target.container,
          ...(options.limitBytes !== undefined && { limitBytes: options.limitBytes }),
          ...(options.tailLines !== undefined && { tailLines: options.tailLines }),
        }),
      { attempts: 3 },
    );
  } catch (error) {
    // 400: the container has not started (nothing to read); 404: the pod is gone.
    const status = statusOf(error);
    if (status === 400 || status === 404) return '';
    throw error;
  }
}

export interface SavedLogs {
  uri: string;
  /** The end of the main container's log, for failure details. */
  mainTail: string;
  /** The end of the whole log (launcher lines included). */
  tail: string;
}

/**
 * Saves every container's log (fetch, main, publish, in that order) as one
 * text object at the attempt's log key, and returns its URI and tails. The
 * main container's output is capped at `limitBytes` (its end is what matters
 * in a failure, so the cap keeps the tail).
 *
 * @example
 * ```ts
 * const { uri, mainTail } = await savePodLogs({ core, store, namespace, name, executionKey });
 * ```
 */
export async function savePodLogs(o: {
  core: CoreV1Api;
  store: ArtifactStore;
  namespace: string;
  name: string;
  executionKey: string;
  limitBytes?: number;
}): Promise<SavedLogs> {
  const read = (container: string, tail = false) =>
    readContainerLog(
      o.core,
      { namespace: o.namespace, name: o.name, container },
      tail ? { tailLines: 20_000, limitBytes: o.limitBytes ?? 8 * 1024 * 1024 } : {},
    );
  const [fetch, main, publish] = await Promise.all([
    read(containerNames.fetch),
    read(containerNames.main, true),
    read(containerNames.publish),
  ]);
  const section = (title: string, text: string) =>
    text ? `===== ${title} =====\n${text.endsWith('\n') ? text : `${text}\n`}` : '';
  const all =
    section(`${containerNames.fetch} (inputs)`, fetch) +
    section(containerNames.main, main) +
    section(`${containerNames.publish} (outputs)`, publish);
  const stat = await o.store.put(stepLogKey(o.executionKey), all);
  return { uri: stat.uri, mainTail: tailOf(main), tail: tailOf(all) };
}

function containerState(pod: V1Pod | undefined, container: string): 'waiting' | 'running' | 'terminated' | 'gone' {
  if (!pod) return 'gone';
  const status = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])].find(
    (s) => s.name === container,
  );
  if (status?.state?.terminated) return 'terminated';
  if (status?.state?.running) return 'running';
  if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return 'terminated';
  return 'waiting';
}

export interface FollowOptions {
  kc: KubeConfig;
  core: CoreV1Api;
  namespace: string;
  name: string;
  /** Default: the main container. */
  container?: string;
  out: Writable;
  signal?: AbortSignal;
  /** A stream quiet for this long triggers a state check. Default 15 s. */
  recheckMs?: number;
}

/** Splits `2026-01-01T00:00:00.123456789Z text` into its timestamp and text. */
function splitTimestamp(line: string): { ts: string; text: string } {
  const space = line.indexOf(' ');
  return space > 0 ? { ts: line.slice(0, space), text: line.slice(space + 1) } : { ts: '', text: line };
}

/**
 * Streams a container's log to `out` until the container has terminated and
 * its log is drained, the pod is gone, or `signal` aborts. Does not end `out`.
 * Respects `out`'s backpressure: while `out` is full, the log stream from the
 * API server is paused (a slow reader never makes this buffer the log), and
 * that pause does not count as the stream going quiet.
 *
 * @throws the Kubernetes client's error when the API server refuses or fails
 * a request other than with 404 (pod gone) or 400 (container not started).
 * @example
 * ```ts
 * await followContainerLog({ kc, core, namespace: 'ml', name: pod, out: process.stdout, signal });
 * ```
 */
export async function followContainerLog(o: FollowOptions): Promise<void> {
  const container = o.container ?? containerNames.main;
  const recheckMs = o.recheckMs ?? 15_000;
  const log = new Log(o.kc);
  let lastTs = '';
  let seenAtLastTs = 0;
  const aborted = abortPromise(o.signal);
  try {
    while (!o.signal?.aborted) {
      const pod = await o.core.readNamespacedPod({ namespace: o.namespace, name: o.name }).catch((error: unknown) => {
        if (statusOf(error) === 404) return undefined;
        throw error;
      });
      const state = containerState(pod, container);
      if (state === 'gone') return;
      if (state === 'waiting') {
        await pause(1_000, o.signal);
        continue;
      }
      const sink = new PassThrough();
      let buffered = '';
      let skip = seenAtLastTs;
      let lastData = Date.now();
      /** Waiting for `out` to drain: the sink (and so the HTTP response piped into it) is paused meanwhile. */
      let waitingForOut = false;
      const sinkDone = new Promise<void>((resolve) => {
        sink.on('data', (chunk: Buffer) => {
          lastData = Date.now();
          buffered += chunk.toString('utf8');
          let full = false;
          let newline;
          while ((newline = buffered.indexOf('\n')) >= 0) {
            const { ts, text } = splitTimestamp(buffered.slice(0, newline));
            buffered = buffered.slice(newline + 1);
            // sinceTime is inclusive: lines at the last timestamp were already written.
            if (ts && ts < lastTs) continue;
            if (ts === lastTs && skip > 0) {
              skip--;
              continue;
            }
            if (ts !== lastTs) seenAtLastTs = 0;
            lastTs = ts;
            seenAtLastTs++;
            if (!o.out.write(`${text}\n`)) full = true;
          }
          if (full) {
            waitingForOut = true;
            sink.pause();
            void drainOf(o.out, o.signal).then(() => {
              waitingForOut = false;
              lastData = Date.now();
              sink.resume();
            });
          }
        });
        sink.on('end', () => resolve());
        sink.on('close', () => resolve());
        sink.on('error', () => resolve());
      });
      let controller: AbortController | undefined;
      try {
        controller = await log.log(o.namespace, o.name, container, sink, {
          follow: state === 'running',
          timestamps: true,
          ...(lastTs && { sinceTime: lastTs }),
        });
      } catch (error) {
        const status = statusOf(error);
        if (status === 404) return;
        if (status !== 400) throw error; // 400: not started yet; check again
        await pause(1_000, o.signal);
        continue;
      }
      // The stream may end, or hang forever: check the container whenever it has been quiet a while.
      for (;;) {
        let timer: NodeJS.Timeout | undefined;
        const quiet = new Promise<'quiet'>((resolve) => {
          timer = setTimeout(() => resolve('quiet'), recheckMs);
        });
        const woke = await Promise.race([sinkDone.then(() => 'ended' as const), aborted.promise, quiet]);
        clearTimeout(timer);
        if (woke !== 'quiet' || o.signal?.aborted) break;
        if (waitingForOut || Date.now() - lastData < recheckMs) continue;
        const now = await o.core.readNamespacedPod({ namespace: o.namespace, name: o.name }).catch(() => undefined);
        if (containerState(now, container) !== 'running') break;
      }
      controller.abort();
      sink.destroy();
      if (o.signal?.aborted) return;
      if (buffered) o.out.write(`${splitTimestamp(buffered).text}\n`);
      if (state === 'terminated') return;
      // Followed a running container and the stream ended: loop to see whether it is done.
    }
  } finally {
    aborted.dispose();
  }
}

/** Resolves when `out` drains, closes or fails, or `signal` aborts: whichever comes first. */
function drainOf(out: Writable, signal?: AbortSignal): Promise<void> {
  if (out.destroyed || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      out.off('error', done);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
    out.on('error', done);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** A promise that resolves when `signal` aborts, and a dispose that removes its listener. */
function abortPromise(signal?: AbortSignal): { promise: Promise<'aborted'>; dispose: () => void } {
  const listener: { onAbort?: () => void } = {};
  const promise = new Promise<'aborted'>((resolve) => {
    listener.onAbort = () => resolve('aborted');
    if (signal?.aborted) resolve('aborted');
    else signal?.addEventListener('abort', listener.onAbort, { once: true });
  });
  return { promise, dispose: () => listener.onAbort && signal?.removeEventListener('abort', listener.onAbort) };
}

/** Waits `ms`, or less if `signal` aborts (the caller's loop checks it). */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
