/**
 * Leftover pods: once every run has ended, the only Kiln pods allowed to remain are those of
 * failed steps, which the executor keeps for a TTL on purpose (a person may want to look at them).
 * Any other pod — running, pending, succeeded but not deleted, or failed without a failed task
 * naming it — is a leak.
 */
import type { CoreV1Api } from '@kubernetes/client-node';
import type { RunStatusDocument } from '@kiln/engine-contract';
import { labelKeys, managedByKiln } from '@kiln/kube';

/**
 * Waits up to `waitMs` for the namespace to hold no leaked Kiln pod; returns the leaks left then
 * (`name (phase)`), or an empty list.
 *
 * @example
 * ```ts
 * const leaks = await findLeakedPods(core, 'kiln-test', docs, 60_000); // [] when clean
 * ```
 */
export async function findLeakedPods(
  core: CoreV1Api,
  namespace: string,
  docs: readonly RunStatusDocument[],
  waitMs: number,
): Promise<string[]> {
  const keptOnPurpose = new Set(
    docs.flatMap((d) => d.tasks.filter((t) => t.state === 'failed' && t.pod).map((t) => t.pod?.name ?? '')),
  );
  const deadline = Date.now() + waitMs;
  for (;;) {
    const pods = await core.listNamespacedPod({ namespace, labelSelector: `${labelKeys.managedBy}=${managedByKiln}` });
    const leaks = pods.items
      .filter((p) => !(p.status?.phase === 'Failed' && keptOnPurpose.has(p.metadata?.name ?? '')))
      .map(
        (p) =>
          `${p.metadata?.name ?? '?'} (${p.status?.phase ?? 'no phase'}${p.metadata?.deletionTimestamp ? ', deleting' : ''})`,
      );
    if (leaks.length === 0 || Date.now() > deadline) return leaks;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}
