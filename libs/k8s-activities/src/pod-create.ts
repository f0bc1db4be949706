/**
 * Getting hold of the attempt's pod (checklist items 1 and 2): reattach to the
 * pod named in the heartbeat a previous try of this activity left, else create
 * it; a 409 AlreadyExists means a previous try created it (a worker crash before
 * the first heartbeat), and it is adopted — but only if its identity label and
 * execution key match. A pod that finished with a user failure is adopted too
 * (its result is collected, not rerun); one that failed for an infrastructure
 * reason belonged to an earlier try that Temporal is now retrying, so it is
 * replaced.
 */
import { ApiException, type CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import { statusOf, withApiRetry } from './api-retry';
import { PodAssessor } from './classify';
import { deletePod } from './cleanup';
import { isSamePod, type PodIdentity } from './pod-name';

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
  if (typeof d['namespace'] !== 'string' || typeof d['name'] !== 'string' || typeof d['uid'] !== 'string') return undefined;
  return {
    namespace: d['namespace'],
    name: d['name'],
    uid: d['uid'],
    ...(typeof d['resourceVersion'] === 'string' && { resourceVersion: d['resourceVersion'] }),
  };
}

async function readPod(core: CoreV1Api, namespace: string, name: string, signal?: AbortSignal): Promise<V1Pod | undefined> {
  try {
    return await withApiRetry(() => core.readNamespacedPod({ namespace, name }), { signal });
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}

/**
 * Reattaches, adopts or creates the attempt's pod.
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
  signal?: AbortSignal;
}): Promise<{ pod: V1Pod; how: AttachHow }> {
  const { core, namespace, identity } = o;
  if (o.resumed && o.resumed.namespace === namespace && o.resumed.name === identity.name) {
    const pod = await readPod(core, namespace, identity.name, o.signal);
    if (pod?.metadata?.uid === o.resumed.uid) return { pod, how: 'reattached' };
  }
  let replaced = false;
  for (let tries = 0; ; tries++) {
    try {
      // A create that timed out may have succeeded: the retry then meets 409 and adopts the pod.
      const pod = await withApiRetry(() => core.createNamespacedPod({ namespace, body: o.body }), { signal: o.signal });
      return { pod, how: replaced ? 'replaced' : 'created' };
    } catch (error) {
      if (!(error instanceof ApiException && error.code === 409) || tries >= 5) throw error;
    }
    const existing = await readPod(core, namespace, identity.name, o.signal);
    if (!existing) continue; // deleted between our create and our read: create again
    if (!isSamePod(existing, identity)) throw new PodNameConflictError(namespace, identity.name);
    const verdict = new PodAssessor().assess(existing);
    const finishedForInfrastructure = verdict.state === 'failed' && verdict.failure.failureClass === 'infrastructure';
    if (!finishedForInfrastructure || existing.status?.phase !== 'Failed') return { pod: existing, how: 'adopted' };
    // Temporal is retrying this attempt after an infrastructure failure of that very pod: start afresh.
    await deletePod(core, { namespace, name: identity.name, ...(existing.metadata?.uid && { uid: existing.metadata.uid }), gracePeriodSeconds: 0 }, o.signal);
    replaced = true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
