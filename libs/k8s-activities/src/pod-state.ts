/** What a pod's status says about the containers the executor waits for. */
import type { V1Pod } from '@kubernetes/client-node';
import { containerNames } from '@kiln/kube';

/** Whether nothing more will happen in the pod: it completed, or main or fetch terminated (restartPolicy Never). */
export function podFinished(pod: V1Pod | undefined): boolean {
  if (!pod) return false;
  if (pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded') return true;
  if (pod.status?.containerStatuses?.find((s) => s.name === containerNames.main)?.state?.terminated) return true;
  const fetch = pod.status?.initContainerStatuses?.find((s) => s.name === containerNames.fetch)?.state?.terminated;
  return fetch !== undefined && fetch.exitCode !== 0;
}

/** Whether the pod still exists and its publishing sidecar (`kiln-launcher`, or `kiln-publish` of the two-process layout) has not terminated. */
export function publisherRunning(pod: V1Pod | undefined): boolean {
  if (!pod || pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded') return false;
  const publisher = pod.status?.initContainerStatuses?.find(
    (s) => s.name === containerNames.launcher || s.name === containerNames.publish,
  );
  return publisher !== undefined && publisher.state?.terminated === undefined;
}
