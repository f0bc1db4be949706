// core/v1 Events about pods, so `kubectl describe pod` tells the same story as on
// a real cluster (Scheduled, FailedScheduling, Started, Killing, OOM, ...).
// Fire-and-forget: an event that cannot be written must never hold up a pod.
import type * as k8s from '@kubernetes/client-node';
import { randomBytes } from 'node:crypto';

export type EventRecorder = (
  pod: k8s.V1Pod,
  type: 'Normal' | 'Warning',
  reason: string,
  message: string,
  fieldPath?: string,
) => void;

export function eventRecorder(core: k8s.CoreV1Api, component: string, host: string): EventRecorder {
  return (pod, type, reason, message, fieldPath) => {
    const namespace = pod.metadata?.namespace ?? 'default';
    const now = new Date();
    const body: k8s.CoreV1Event = {
      metadata: { name: `${pod.metadata?.name}.${randomBytes(8).toString('hex')}`, namespace },
      involvedObject: {
        apiVersion: 'v1',
        kind: 'Pod',
        namespace,
        name: pod.metadata?.name,
        uid: pod.metadata?.uid,
        ...(fieldPath ? { fieldPath } : {}),
      },
      type,
      reason,
      message,
      count: 1,
      firstTimestamp: now,
      lastTimestamp: now,
      source: { component, host },
      reportingComponent: component,
      reportingInstance: host,
    };
    core.createNamespacedEvent({ namespace, body }).catch(() => undefined);
  };
}
