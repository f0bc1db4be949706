/**
 * The floor: the least a program can do to run N one-container pods in
 * sequence with `@kubernetes/client-node` — create a pod running `/bin/true`,
 * watch it (from the create's resourceVersion, so no event is missed) until it
 * Succeeded, delete it, next. No store, no Temporal, no launcher containers.
 */
import { CoreV1Api, Watch, type KubeConfig, type V1Pod } from '@kubernetes/client-node';

export interface FloorOptions {
  kc: KubeConfig;
  namespace: string;
  /** Pod names are `<prefix>-<i>`; also the `kiln-bench/run` label. */
  prefix: string;
  n: number;
  image: string;
  /** Per pod, create → Succeeded. */
  podTimeoutMs?: number;
}

function waitSucceeded(
  kc: KubeConfig,
  namespace: string,
  name: string,
  resourceVersion: string | undefined,
  timeoutMs: number,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let controller: AbortController | undefined;
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      controller?.abort();
      if (error) reject(error);
      else resolve();
    };
    const timer = setTimeout(() => finish(new Error(`pod ${name} did not succeed within ${timeoutMs} ms`)), timeoutMs);
    new Watch(kc)
      .watch(
        `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`,
        {
          fieldSelector: `metadata.name=${name}`,
          ...(resourceVersion ? { resourceVersion } : {}),
          timeoutSeconds: Math.ceil(timeoutMs / 1000),
        },
        (type: string, object: unknown) => {
          const phase = (object as V1Pod).status?.phase;
          if (type === 'ERROR') finish(new Error(`watch of ${name} failed: ${JSON.stringify(object)}`));
          else if (phase === 'Succeeded') finish();
          else if (phase === 'Failed' || type === 'DELETED')
            finish(new Error(`pod ${name} ${type === 'DELETED' ? 'was deleted' : 'failed'}`));
        },
        (error: unknown) =>
          finish(new Error(`watch of ${name} ended before the pod succeeded${error ? `: ${String(error)}` : ''}`)),
      )
      .then(
        (c) => {
          controller = c;
          if (settled) c.abort();
        },
        (error: unknown) => finish(error instanceof Error ? error : new Error(String(error))),
      );
  });
}

/**
 * Runs one pod to Succeeded and deletes it: create, watch from the create's resourceVersion, delete.
 *
 * @example
 * ```ts
 * await runFloorPod({ kc, namespace: 'kiln-test', prefix: 'floor-1', image: 'alpine:3.20' }, 'floor-1-1');
 * ```
 */
export async function runFloorPod(o: Omit<FloorOptions, 'n'>, name: string, core = o.kc.makeApiClient(CoreV1Api)) {
  const created = await core.createNamespacedPod({
    namespace: o.namespace,
    body: {
      metadata: { name, labels: { 'kiln-bench/run': o.prefix } },
      spec: {
        restartPolicy: 'Never',
        automountServiceAccountToken: false,
        enableServiceLinks: false,
        containers: [{ name: 'main', image: o.image, command: ['/bin/true'] }],
      },
    },
  });
  await waitSucceeded(o.kc, o.namespace, name, created.metadata?.resourceVersion, o.podTimeoutMs ?? 60_000);
  await core.deleteNamespacedPod({ namespace: o.namespace, name });
}

/**
 * Runs the N pods; returns their names.
 *
 * @example
 * ```ts
 * const names = await runFloorChain({ kc, namespace: 'kiln-test', prefix: 'floor-1', n: 20, image: 'alpine:3.20' });
 * ```
 */
export async function runFloorChain(o: FloorOptions): Promise<string[]> {
  const core = o.kc.makeApiClient(CoreV1Api);
  const names: string[] = [];
  for (let i = 1; i <= o.n; i++) {
    const name = `${o.prefix}-${i}`;
    await runFloorPod(o, name, core);
    names.push(name);
  }
  return names;
}
