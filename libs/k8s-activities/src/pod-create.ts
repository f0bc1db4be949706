/**
 * Getting hold of the attempt's pod (checklist items 1 and 2): reattach to the
 * pod named in the heartbeat a previous try of this activity left, else create
 * it; a 409 AlreadyExists means a previous try created it (a worker crash before
 * the first heartbeat), and it is adopted — but only if its identity label and
 * execution key match. A pod that finished with a user failure is adopted or
 * reattached to (its result is collected, not rerun); one that failed for an
 * infrastructure reason belonged to an earlier try that Temporal is now
 * retrying, so it is replaced, whichever way it is found. A pod that is being
 * deleted is waited out, then a fresh one takes its name.
 */
import { ApiException, type CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import { isSamePod, sleep, statusOf, withApiRetry, type PodIdentity } from '@kiln/kube';
import { PodAssessor } from './classify';
import { deletePod } from './cleanup';

/** What the activity heartbeats, and reads back when Temporal retries it. */
export interface PodHeartbeat {
  namespace: string;
  name: string;
  uid: string;
  resourceVersion?: string;
  /** Human-readable progress for the Temporal UI. */
  detail?: string;
}

export type AttachHow = 'created' | 'adopted' | 'reattached' | 'replaced';

/** A pod with this name exists but is not ours: never touched, never adopted. */
export class PodNameConflictError extends Error {
  override readonly name = 'PodNameConflictError';
  constructor(
    readonly namespace: string,
    readonly podName: string,
  ) {
    super(`pod ${namespace}/${podName} exists but does not carry this step's identity labels; refusing to adopt it`);
  }
}

/** Reads heartbeat details back, accepting only the shape this module writes. */
export function parseHeartbeat(details: unknown): PodHeartbeat | undefined {
  if (!details || typeof details !== 'object') return undefined;
  const d = details as Record<string, unknown>;
  if (typeof d['namespace'] !== 'string' || typeof d['name'] !== 'string' || typeof d['uid'] !== 'string')
    return undefined;
  return {
    namespace: d['namespace'],
    name: d['name'],
    uid: d['uid'],
    ...(typeof d['resourceVersion'] === 'string' && { resourceVersion: d['resourceVersion'] }),
  };
}

async function readPod(
  core: CoreV1Api,
  namespace: string,
  name: string,
  signal?: AbortSignal,
): Promise<V1Pod | undefined> {
  try {
    return await withApiRetry(() => core.readNamespacedPod({ namespace, name }), { signal });
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}

/**
 * Whether a pod finished (phase Failed) for an infrastructure reason, judged
 * from its status alone. The activity passes a sharper test that also reads
 * the launcher's failure note (a failed `pip install` shows in the pod only as
 * main's non-zero exit).
 *
 * @example
 * ```ts
 * if (await failedForInfrastructureByStatus(pod)) await deletePod(core, { namespace, name, uid });
 * ```
 */
export async function failedForInfrastructureByStatus(pod: V1Pod): Promise<boolean> {
  if (pod.status?.phase !== 'Failed') return false;
  const verdict = new PodAssessor().assess(pod);
  return verdict.state === 'failed' && verdict.failure.failureClass === 'infrastructure';
}

/** How long a pod of ours that is being deleted may take to go before the activity gives up (and Temporal retries it). */
const deletionWaitMs = 60_000;

/**
 * Reattaches, adopts or creates the attempt's pod. A pod found either way that
 * `failedForInfrastructure` says failed for an infrastructure reason is
 * deleted and replaced by a fresh one of the same name.
 *
 * @example
 * ```ts
 * const { pod, how } = await attachPod({ core, namespace, identity, body, resumed: parseHeartbeat(info.heartbeatDetails) });
 * ```
 */
export async function attachPod(o: {
  core: CoreV1Api;
  namespace: string;
  identity: PodIdentity;
  body: V1Pod;
  resumed?: PodHeartbeat;
  /** Whether a found pod finished for an infrastructure reason (so it is replaced). Default: {@link failedForInfrastructureByStatus}. */
  failedForInfrastructure?: (pod: V1Pod) => Promise<boolean>;
  signal?: AbortSignal;
}): Promise<{ pod: V1Pod; how: AttachHow }> {
  const { core, namespace, identity } = o;
  const failedForInfrastructure = o.failedForInfrastructure ?? failedForInfrastructureByStatus;
  let replaced = false;
  // Temporal is retrying this attempt after an infrastructure failure of that very pod: start afresh.
  const replace = async (pod: V1Pod) => {
    await deletePod(
      core,
      { namespace, name: identity.name, ...(pod.metadata?.uid && { uid: pod.metadata.uid }), gracePeriodSeconds: 0 },
      o.signal,
    );
    replaced = true;
  };
  if (o.resumed && o.resumed.namespace === namespace && o.resumed.name === identity.name) {
    const pod = await readPod(core, namespace, identity.name, o.signal);
    if (pod?.metadata?.uid === o.resumed.uid) {
      if (!(await failedForInfrastructure(pod))) return { pod, how: 'reattached' };
      await replace(pod);
    }
  }
  const waitForDeletionUntil = Date.now() + deletionWaitMs;
  for (let conflicts = 0; ;) {
    try {
      // A create that timed out may have succeeded: the retry then meets 409 and adopts the pod.
      const pod = await withApiRetry(() => core.createNamespacedPod({ namespace, body: o.body }), { signal: o.signal });
      return { pod, how: replaced ? 'replaced' : 'created' };
    } catch (error) {
      if (!(error instanceof ApiException && error.code === 409)) throw error;
    }
    const existing = await readPod(core, namespace, identity.name, o.signal);
    if (existing?.metadata?.deletionTimestamp) {
      // Still terminating (ours replaced a moment ago, or someone else's): its name is free once it is gone.
      if (Date.now() > waitForDeletionUntil) {
        throw new Error(
          `pod ${namespace}/${identity.name} is still being deleted after ${deletionWaitMs / 1000} s; a fresh one cannot take its name yet`,
        );
      }
      await sleep(500, o.signal);
      if (o.signal?.aborted)
        throw o.signal.reason instanceof Error ? o.signal.reason : new Error(String(o.signal.reason));
      continue;
    }
    if (++conflicts > 5) throw new Error(`pod ${namespace}/${identity.name} kept conflicting with our create`);
    if (!existing) continue; // deleted between our create and our read: create again
    if (!isSamePod(existing, identity)) throw new PodNameConflictError(namespace, identity.name);
    if (!(await failedForInfrastructure(existing))) return { pod: existing, how: 'adopted' };
    await replace(existing);
    await sleep(200, o.signal);
  }
}
