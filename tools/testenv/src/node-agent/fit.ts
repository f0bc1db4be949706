// The scheduler's filter step for our single node: node selector / required node
// affinity and resource fit. Pure, so it is unit-testable; messages follow
// kube-scheduler's wording because tests and users grep for them.
import type * as k8s from '@kubernetes/client-node';
import { addInto, maxInto, type ResourceList, toResourceList } from './quantity.js';

type Requests = Record<string, string | number> | undefined;

function containerRequests(c: k8s.V1Container): ResourceList {
  const limits = toResourceList(c.resources?.limits as Requests);
  const requests = toResourceList(c.resources?.requests as Requests);
  // The API server defaults requests to limits; do it too for objects that skipped defaulting.
  return { ...limits, ...requests };
}

/** Effective pod requests: max(sum(main + sidecars), each init + sidecars started before it) + overhead. */
export function podRequests(pod: k8s.V1Pod): ResourceList {
  const total: ResourceList = {};
  const sidecars: ResourceList = {};
  const initPeak: ResourceList = {};
  for (const c of pod.spec?.initContainers ?? []) {
    if (c.restartPolicy === 'Always') addInto(sidecars, containerRequests(c));
    else maxInto(initPeak, addInto({ ...sidecars }, containerRequests(c)));
  }
  for (const c of pod.spec?.containers ?? []) addInto(total, containerRequests(c));
  addInto(total, sidecars);
  maxInto(total, initPeak);
  addInto(total, toResourceList(pod.spec?.overhead as Requests));
  total.pods = 1;
  return total;
}

export function matchesNode(pod: k8s.V1Pod, node: { name: string; labels: Record<string, string> }): boolean {
  for (const [k, v] of Object.entries(pod.spec?.nodeSelector ?? {})) if (node.labels[k] !== v) return false;
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!terms || terms.length === 0) return true;
  // Terms are ORed; the requirements inside a term are ANDed.
  return terms.some(
    (t) =>
      (t.matchExpressions ?? []).every((r) => requirementMatches(r, node.labels[r.key])) &&
      (t.matchFields ?? []).every((r) => requirementMatches(r, r.key === 'metadata.name' ? node.name : undefined)),
  );
}

function requirementMatches(r: k8s.V1NodeSelectorRequirement, value: string | undefined): boolean {
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
      return value !== undefined && Number(value) > Number(values[0]);
    case 'Lt':
      return value !== undefined && Number(value) < Number(values[0]);
    default:
      return false;
  }
}

/** Resource names whose request exceeds what is left. */
export function insufficientResources(requests: ResourceList, allocatable: ResourceList, used: ResourceList): string[] {
  const out: string[] = [];
  for (const [name, want] of Object.entries(requests)) {
    if (want <= 0) continue;
    const free = (allocatable[name] ?? 0) - (used[name] ?? 0);
    // A tiny epsilon absorbs floating-point noise from summing millicores.
    if (want > free + 1e-9) out.push(name);
  }
  return out.sort();
}

export type FitResult = { fits: true } | { fits: false; message: string };

export function checkFit(
  pod: k8s.V1Pod,
  node: { name: string; labels: Record<string, string>; allocatable: ResourceList },
  used: ResourceList,
): FitResult {
  if (!matchesNode(pod, node)) {
    return {
      fits: false,
      message:
        "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. " +
        'preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.',
    };
  }
  const missing = insufficientResources(podRequests(pod), node.allocatable, used);
  if (missing.length > 0) {
    const reasons = missing.map((r) => (r === 'pods' ? '1 Too many pods' : `1 Insufficient ${r}`)).join(', ');
    return {
      fits: false,
      message: `0/1 nodes are available: ${reasons}. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.`,
    };
  }
  return { fits: true };
}
