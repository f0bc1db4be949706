/**
 * The identity of a step's pod (checklist item 1): a deterministic,
 * DNS-safe name per (run, task, iteration, attempt), labels to select by, and
 * annotations that carry the full, unabbreviated identity. The name is what
 * makes a retried activity find its pod again instead of starting a second one;
 * the hash label is what proves a pod with that name really is ours (Airflow
 * reattaches by labels alone and grabs the wrong pod: #71743, #10544).
 */
import { createHash } from 'node:crypto';
import type { V1Pod } from '@kubernetes/client-node';
import { executionKey, type LocatedStep } from '@kiln/store-layout';

export const labelKeys = {
  managedBy: 'app.kubernetes.io/managed-by',
  run: 'kiln.dev/run',
  task: 'kiln.dev/task',
  iteration: 'kiln.dev/iteration',
  attempt: 'kiln.dev/attempt',
  /** sha256 of the full identity: label values are truncated, this is not ambiguous. */
  identity: 'kiln.dev/identity',
} as const;

export const annotationKeys = {
  workflowId: 'kiln.dev/workflow-id',
  runId: 'kiln.dev/run-id',
  pipeline: 'kiln.dev/pipeline',
  taskId: 'kiln.dev/task-id',
  iteration: 'kiln.dev/iteration',
  attempt: 'kiln.dev/attempt',
  executionKey: 'kiln.dev/execution-key',
  /** Seconds a failed pod is kept before it is collected, when the step sets its own (`podTtlSeconds`). */
  failedPodTtlSeconds: 'kiln.dev/failed-pod-ttl-seconds',
  /** `static` on a pod whose launcher is the static one (apps/static-launcher): its outputs are in the launcher's log. */
  launcher: 'kiln.dev/launcher',
} as const;

/**
 * The containers of a step pod: `main`, the user's image running the step, and the launcher around it:
 * one `kiln-launcher` sidecar (the default layout), or a `kiln-fetch` init container and a `kiln-publish`
 * sidecar (the two-process layout).
 */
export const containerNames = {
  fetch: 'kiln-fetch',
  main: 'main',
  publish: 'kiln-publish',
  launcher: 'kiln-launcher',
} as const;

/** The value of `app.kubernetes.io/managed-by` on every pod Kiln creates. */
export const managedByKiln = 'kiln';

/**
 * What identifies one attempt of one task. The execution key is derived from
 * the rest (`executionKey` of `@kiln/store-layout`) unless given, as a request
 * from an older history gives it.
 */
export type StepIdentityInput = Pick<
  LocatedStep,
  'workflowId' | 'runId' | 'pipelineName' | 'taskId' | 'iteration' | 'attempt'
> & { executionKey?: string };

export interface PodIdentity {
  name: string;
  /** Hex sha256 prefix of the identity; also the `kiln.dev/identity` label. */
  hash: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

const maxNameLength = 63; // a DNS label: pod names become hostnames
const hashLength = 12;

/** Lowercase, [a-z0-9-] only, no leading/trailing dash, at most `max` characters. */
function dnsSlug(text: string, max: number): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .slice(0, max)
    .replace(/^-+|-+$/g, '');
}

/** A valid label value: [A-Za-z0-9_.-], at most 63, alphanumeric at both ends. */
export function labelValue(text: string): string {
  return text
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
}

/**
 * The pod identity of one step attempt. Equal inputs give equal names on every
 * worker; different attempts, iterations, tasks or runs give different names
 * (the hash covers them all, so truncating the readable part loses nothing).
 *
 * @example
 * ```ts
 * podIdentity({ workflowId: 'training-1', runId: 'f3c…', pipelineName: 'training', taskId: 'train-model',
 *               iteration: [3], attempt: 2 }).name
 * // 'kiln-train-model-i3-a2-5d41402abc4b'
 * ```
 */
export function podIdentity(req: StepIdentityInput): PodIdentity {
  const hash = createHash('sha256')
    .update(JSON.stringify([req.workflowId, req.runId, req.taskId, req.iteration, req.attempt]))
    .digest('hex')
    .slice(0, hashLength);
  const suffix = `${req.iteration.length > 0 ? `i${req.iteration.join('-')}-` : ''}a${req.attempt}-${hash}`;
  const room = maxNameLength - 'kiln-'.length - suffix.length - 1;
  const task = room > 0 ? dnsSlug(req.taskId, room) : '';
  const name = dnsSlug(`kiln-${task ? `${task}-` : ''}${suffix}`, maxNameLength);
  return {
    name,
    hash,
    labels: {
      [labelKeys.managedBy]: managedByKiln,
      [labelKeys.run]: labelValue(req.runId),
      [labelKeys.task]: labelValue(req.taskId),
      [labelKeys.iteration]: req.iteration.length > 0 ? req.iteration.join('.') : 'none',
      [labelKeys.attempt]: String(req.attempt),
      [labelKeys.identity]: hash,
    },
    annotations: {
      [annotationKeys.workflowId]: req.workflowId,
      [annotationKeys.runId]: req.runId,
      [annotationKeys.pipeline]: req.pipelineName,
      [annotationKeys.taskId]: req.taskId,
      [annotationKeys.iteration]: JSON.stringify(req.iteration),
      [annotationKeys.attempt]: String(req.attempt),
      [annotationKeys.executionKey]: req.executionKey ?? executionKey(req),
    },
  };
}

/**
 * Whether an existing pod is the one `identity` describes: the identity hash
 * label and the full execution key must both match. A pod that merely shares
 * the name (another installation, a hand-made pod) is never adopted.
 */
export function isSamePod(pod: V1Pod, identity: PodIdentity): boolean {
  return (
    pod.metadata?.labels?.[labelKeys.identity] === identity.hash &&
    pod.metadata?.labels?.[labelKeys.managedBy] === managedByKiln &&
    pod.metadata?.annotations?.[annotationKeys.executionKey] === identity.annotations[annotationKeys.executionKey]
  );
}
