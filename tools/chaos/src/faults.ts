/**
 * The faults: when they happen (a seeded random plan within the chaos window) and how each is
 * done. One fault at a time: a restart waits until its server answers again before the next fault
 * may start, so every fault is a separate event the runs must survive.
 */
import { CoreV1Api, KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { labelKeys, managedByKiln } from '@kiln/kube';
import type { PrivateServers } from './servers';
import type { ChaosWorker } from './worker';

export const faultKinds = [
  'worker-kill',
  'temporal-restart',
  'minio-restart',
  'apiserver-restart',
  'pod-delete',
] as const;
export type FaultKind = (typeof faultKinds)[number];

/** A seeded random source (mulberry32), so a failing soak can be replayed with its `--seed`. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface PlannedFault {
  kind: FaultKind;
  /** Milliseconds after the chaos window opened. */
  atMs: number;
}

/**
 * `perKind` faults of every kind at uniformly random moments in `[fromMs, toMs)`, in time order.
 *
 * @example
 * ```ts
 * planFaults(seededRandom(7), 2, 10_000, 120_000); // 10 faults, two of each kind, between 10 s and 120 s
 * ```
 */
export function planFaults(random: () => number, perKind: number, fromMs: number, toMs: number): PlannedFault[] {
  const plan = faultKinds.flatMap((kind) =>
    Array.from({ length: perKind }, () => ({ kind, atMs: Math.round(fromMs + random() * (toMs - fromMs)) })),
  );
  return plan.sort((a, b) => a.atMs - b.atMs);
}

/** A fault that was done, and what it hit. */
export interface InjectedFault {
  kind: FaultKind;
  /** Seconds after the chaos window opened. */
  atSeconds: number;
  /** What was hit: the server and how long until it answered again, the pod deleted. */
  detail: string;
}

export interface FaultTargets {
  servers: PrivateServers;
  worker: ChaosWorker;
  namespace: string;
  random: () => number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Does one fault; `undefined` when there was nothing to hit (no step pod running). */
export async function injectFault(kind: FaultKind, t: FaultTargets): Promise<string | undefined> {
  const downMs = Math.round(500 + t.random() * 2500);
  switch (kind) {
    case 'worker-kill': {
      await t.worker.kill();
      await sleep(downMs);
      const started = Date.now();
      await t.worker.start();
      return `worker SIGKILLed, down ${(downMs / 1000).toFixed(1)} s, running again after ${((Date.now() - started) / 1000).toFixed(1)} s more`;
    }
    case 'temporal-restart':
      return `Temporal dev server killed, answering again after ${(await t.servers.restart('temporal', downMs)).toFixed(1)} s`;
    case 'minio-restart':
      return `MinIO killed, answering again after ${(await t.servers.restart('minio', downMs)).toFixed(1)} s`;
    case 'apiserver-restart':
      return `kube-apiserver killed, answering again after ${(await t.servers.restart('kube-apiserver', downMs)).toFixed(1)} s`;
    case 'pod-delete':
      return deleteRunningPod(t);
  }
}

/** Deletes a random running step pod at once (grace 0), waiting up to 20 s for one to be running. */
async function deleteRunningPod(t: FaultTargets): Promise<string | undefined> {
  const kc = new KubeConfig();
  kc.loadFromFile(t.servers.env.kubernetes.kubeconfig);
  const core = kc.makeApiClient(CoreV1Api);
  for (const until = Date.now() + 20_000; Date.now() < until; await sleep(500)) {
    const pods = await core.listNamespacedPod({
      namespace: t.namespace,
      labelSelector: `${labelKeys.managedBy}=${managedByKiln}`,
    });
    const running = pods.items.filter(isRunning);
    const victim = running[Math.floor(t.random() * running.length)];
    const name = victim?.metadata?.name;
    if (!name) continue;
    await core.deleteNamespacedPod({ namespace: t.namespace, name, gracePeriodSeconds: 0 });
    const main = victim.status?.containerStatuses?.find((c) => c.name === 'main');
    return `deleted pod ${name} (${running.length} running; main ${main?.state?.running ? 'running' : main?.state?.terminated ? 'done' : 'not started'})`;
  }
  return undefined;
}

function isRunning(pod: V1Pod): boolean {
  return pod.status?.phase === 'Running' && !pod.metadata?.deletionTimestamp;
}
