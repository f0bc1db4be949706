/**
 * Reading and following one container's log through the Kubernetes API.
 * Following uses client-node's `Log` with `follow`, but never trusts the stream
 * to end by itself (Airflow's follow hangs: #23497, #28336): when the stream
 * ends or goes quiet, the container's state is checked, and a container still
 * running is followed again from the last timestamp seen.
 */
import { PassThrough, type Writable } from 'node:stream';
import { Log, type CoreV1Api, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { statusOf, withApiRetry } from './api-retry';
import { containerNames } from './pod-name';

/**
 * The last `lines` lines of a text.
 *
 * @example
 * ```ts
 * tailOf('a\nb\nc\n', 2); // 'b\nc'
 * ```
 */
export function tailOf(text: string, lines = 50): string {
  return text.replace(/\n+$/, '').split('\n').slice(-lines).join('\n');
}

/**
 * One container's log so far ('' if it never started or the pod is gone).
 *
 * @example
 * ```ts
 * const text = await readContainerLog(core, { namespace: 'ml', name: pod, container: 'main' }, { tailLines: 100 });
 * ```
 */
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
