// Shared helpers of the node agent tests: a client for the test cluster and
// bounded waits on pod state. Every test pod gets a unique name and is deleted.
import { ApiException, CoreV1Api, KubeConfig, type V1Pod, type V1PodSpec } from '@kubernetes/client-node';
import { readFileSync } from 'node:fs';
import { getTestEnvironment } from '../src/index';

export interface Cluster {
  kc: KubeConfig;
  core: CoreV1Api;
  namespace: string;
}

export function connect(): Cluster {
  const { kubernetes } = getTestEnvironment(['kubernetes']);
  const kc = new KubeConfig();
  kc.loadFromFile(kubernetes.kubeconfig);
  return { kc, core: kc.makeApiClient(CoreV1Api), namespace: kubernetes.namespace };
}

let counter = 0;
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}`;
}

export async function createPod(c: Cluster, name: string, spec: V1PodSpec): Promise<V1Pod> {
  return c.core.createNamespacedPod({
    namespace: c.namespace,
    body: { metadata: { name, labels: { test: 'node-agent' } }, spec },
  });
}

/** Polls the pod until `done` holds; fails with the last seen status after `timeoutMs`. */
export async function waitForPod(
  c: Cluster,
  name: string,
  done: (pod: V1Pod) => boolean,
  timeoutMs = 20_000,
): Promise<V1Pod> {
  const deadline = Date.now() + timeoutMs;
  let last: V1Pod | undefined;
  while (Date.now() < deadline) {
    last = await c.core.readNamespacedPod({ namespace: c.namespace, name });
    if (done(last)) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(
    `pod ${name} did not reach the expected state in ${timeoutMs} ms; last status: ${JSON.stringify(last?.status)}`,
  );
}

export const isFinished = (pod: V1Pod): boolean => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

export async function waitForPodGone(c: Cluster, name: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      await c.core.readNamespacedPod({ namespace: c.namespace, name });
    } catch (err) {
      if (err instanceof ApiException && err.code === 404) return;
      throw err;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`pod ${name} still exists after ${timeoutMs} ms`);
}

export async function deletePod(c: Cluster, name: string): Promise<void> {
  try {
    await c.core.deleteNamespacedPod({ namespace: c.namespace, name, gracePeriodSeconds: 0 });
  } catch (err) {
    if (!(err instanceof ApiException && err.code === 404)) throw err;
  }
}

/** A zombie (killed, not yet reaped by its new parent) counts as dead. */
export function processAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

export async function waitProcessGone(pid: number, timeoutMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (processAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return !processAlive(pid);
}
