/**
 * What happens to a step's pod afterwards (checklist item 10): deleted once it
 * succeeded (its outputs and logs are in the store), kept for a while when it
 * failed so a person can look at it, then collected. Deleting something already
 * gone is success. The TTL is read off the pod's own finish time, so any worker
 * can collect any Kiln pod, and nothing needs patching; a step that sets its
 * own TTL (`podTtlSeconds`) carries it in an annotation that overrides the
 * policy's for that pod.
 */
import type { CoreV1Api, V1Pod } from '@kubernetes/client-node';
import { annotationKeys, labelKeys, managedByKiln, sleep, statusOf, withApiRetry } from '@kiln/kube';
import { timeMs } from './classify';

export interface CleanupPolicy {
  /** Delete pods whose step succeeded. Default true. */
  deleteSucceeded: boolean;
  /** Keep failed pods this long after they finished, then delete them. Default 24 h; 0 deletes at once. */
  failedPodTtlSeconds: number;
}

export const defaultCleanupPolicy: CleanupPolicy = { deleteSucceeded: true, failedPodTtlSeconds: 24 * 3600 };

/**
 * Deletes a pod; `false` if it was already gone. With `uid`, only that pod
 * (never a newer one that took its name).
 *
 * @example
 * ```ts
 * await deletePod(core, { namespace, name, uid, gracePeriodSeconds: 30 });
 * ```
 */
export async function deletePod(
  core: CoreV1Api,
  target: { namespace: string; name: string; uid?: string; gracePeriodSeconds?: number },
  signal?: AbortSignal,
): Promise<boolean> {
  try {
    await withApiRetry(
      () =>
        core.deleteNamespacedPod({
          namespace: target.namespace,
          name: target.name,
          ...(target.gracePeriodSeconds !== undefined && { gracePeriodSeconds: target.gracePeriodSeconds }),
          body: {
            ...(target.gracePeriodSeconds !== undefined && { gracePeriodSeconds: target.gracePeriodSeconds }),
            ...(target.uid && { preconditions: { uid: target.uid } }),
          },
        }),
      { signal },
    );
    return true;
  } catch (error) {
    const status = statusOf(error);
    // 404: gone already. 409 on a uid precondition: the name now belongs to another pod, ours is gone.
    if (status === 404 || (status === 409 && target.uid)) return false;
    throw error;
  }
}

/**
 * Deletes a finished pod at once and waits (briefly) until it is gone, so a retry of the activity creates a fresh
 * pod under the same name rather than meeting this one. Returns whether the pod was deleted by this call.
 *
 * @example
 * ```ts
 * if (failure.failureClass === 'infrastructure') await replaceOnRetry(core, { namespace, name, uid });
 * ```
 */
export async function replaceOnRetry(
  core: CoreV1Api,
  pod: { namespace: string; name: string; uid: string },
): Promise<boolean> {
  const deleted = await deletePod(core, { ...pod, gracePeriodSeconds: 0 });
  for (let i = 0; i < 20; i++) {
    const current = await core
      .readNamespacedPod({ namespace: pod.namespace, name: pod.name })
      .catch((error: unknown) => {
        if (statusOf(error) === 404) return undefined;
        throw error;
      });
    if (current?.metadata?.uid !== pod.uid) break;
    // attachPod also waits out a pod still terminating; this only spares the retry the wait.
    await sleep(250);
  }
  return deleted;
}

/** When a finished pod finished: the latest container finish time, else its Ready condition's change. */
export function finishedAtMs(pod: V1Pod): number | undefined {
  const times = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]
    .map((s) => timeMs(s.state?.terminated?.finishedAt))
    .filter((t): t is number => t !== undefined);
  if (times.length > 0) return Math.max(...times);
  return (
    timeMs(pod.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime) ??
    timeMs(pod.metadata?.creationTimestamp)
  );
}

/**
 * How long a failed pod is kept: its own `kiln.dev/failed-pod-ttl-seconds`
 * annotation when that holds a whole number of seconds, else the policy's.
 *
 * @example
 * ```ts
 * failedPodTtlSeconds(pod, defaultCleanupPolicy) // 86400, or e.g. 600 for a step with podTtlSeconds: 600
 * ```
 */
export function failedPodTtlSeconds(pod: V1Pod, policy: CleanupPolicy): number {
  const own = pod.metadata?.annotations?.[annotationKeys.failedPodTtlSeconds];
  return own !== undefined && /^\d+$/.test(own) ? Number(own) : policy.failedPodTtlSeconds;
}

/**
 * Deletes Kiln's finished pods in `namespace` that are past the policy's
 * retention: succeeded ones (if the policy deletes those) and failed ones older
 * than their TTL ({@link failedPodTtlSeconds}). Returns the names deleted. Safe to run from every worker at once.
 *
 * @example
 * ```ts
 * setInterval(() => void collectFinishedPods(core, 'ml', { deleteSucceeded: true, failedPodTtlSeconds: 3600 }), 60_000);
 * ```
 */
export async function collectFinishedPods(
  core: CoreV1Api,
  namespace: string,
  policy: CleanupPolicy,
  now = Date.now(),
): Promise<string[]> {
  const pods = await withApiRetry(() =>
    core.listNamespacedPod({ namespace, labelSelector: `${labelKeys.managedBy}=${managedByKiln}` }),
  );
  const deleted: string[] = [];
  for (const pod of pods.items) {
    const phase = pod.status?.phase;
    const name = pod.metadata?.name;
    if (!name || pod.metadata?.deletionTimestamp) continue;
    const expired =
      (phase === 'Succeeded' && policy.deleteSucceeded) ||
      (phase === 'Failed' && now - (finishedAtMs(pod) ?? now) >= failedPodTtlSeconds(pod, policy) * 1000);
    if (!expired) continue;
    if (await deletePod(core, { namespace, name, ...(pod.metadata?.uid && { uid: pod.metadata.uid }) }))
      deleted.push(name);
  }
  return deleted;
}
