// A container's environment, resolved the way the kubelet does: envFrom first,
// then env in order (each value may use `$(VAR)` of the ones before it), then
// PATH/HOME from the agent when the pod does not set them (there is no image
// to provide them).
import type * as k8s from '@kubernetes/client-node';
import { expand } from './expansion.js';
import type { ObjectSource } from './object-source.js';
import { parseQuantity } from './quantity.js';

/** A problem the kubelet reports as waiting reason CreateContainerConfigError. */
export class ContainerConfigError extends Error {}

export const NODE_IP = '127.0.0.1';

export function resolveFieldPath(pod: k8s.V1Pod, fieldPath: string): string {
  const m = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(fieldPath);
  if (m) {
    const map = m[1] === 'labels' ? pod.metadata?.labels : pod.metadata?.annotations;
    return map?.[m[2] ?? ''] ?? '';
  }
  switch (fieldPath) {
    case 'metadata.name':
      return pod.metadata?.name ?? '';
    case 'metadata.namespace':
      return pod.metadata?.namespace ?? '';
    case 'metadata.uid':
      return pod.metadata?.uid ?? '';
    case 'metadata.labels':
      return formatMap(pod.metadata?.labels);
    case 'metadata.annotations':
      return formatMap(pod.metadata?.annotations);
    case 'spec.nodeName':
      return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName ?? '';
    case 'status.hostIP':
    case 'status.hostIPs':
    case 'status.podIP':
    case 'status.podIPs':
      return NODE_IP;
    default:
      throw new ContainerConfigError(`unsupported fieldRef ${fieldPath}`);
  }
}

function formatMap(map: Record<string, string> | undefined): string {
  return Object.entries(map ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join('\n');
}

export function resolveResourceField(
  pod: k8s.V1Pod,
  ref: k8s.V1ResourceFieldSelector,
  fallbackCpu: number,
  fallbackMemory: number,
): string {
  const container = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find(
    (c) => c.name === ref.containerName,
  );
  const [kind, resource = ''] = ref.resource.split('.', 2) as [string, string?];
  const map = kind === 'requests' ? container?.resources?.requests : container?.resources?.limits;
  const raw = map?.[resource] as string | number | undefined;
  let value =
    raw !== undefined
      ? parseQuantity(raw)
      : resource === 'cpu'
        ? fallbackCpu
        : resource === 'memory'
          ? fallbackMemory
          : 0;
  const divisor = ref.divisor !== undefined ? parseQuantity(ref.divisor as string | number) : 1;
  value = Math.ceil(value / (divisor || 1));
  return String(value);
}

export interface EnvContext {
  pod: k8s.V1Pod;
  objects: ObjectSource;
  nodeCpu: number;
  nodeMemory: number;
  baseEnv?: NodeJS.ProcessEnv;
}

export async function buildEnv(container: k8s.V1Container, ctx: EnvContext): Promise<Map<string, string>> {
  const ns = ctx.pod.metadata?.namespace ?? 'default';
  const env = new Map<string, string>();

  for (const from of container.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    const ref = from.configMapRef ?? from.secretRef;
    if (!ref) continue;
    const data = from.configMapRef
      ? await ctx.objects.configMap(ns, ref.name ?? '')
      : await ctx.objects.secret(ns, ref.name ?? '');
    if (!data) {
      if (ref.optional) continue;
      throw new ContainerConfigError(`${from.configMapRef ? 'configmap' : 'secret'} "${ref.name}" not found`);
    }
    for (const [k, v] of data) env.set(prefix + k, v.toString('utf8'));
  }

  for (const item of container.env ?? []) {
    if (item.valueFrom === undefined) {
      env.set(
        item.name,
        expand(item.value ?? '', (name) => env.get(name)),
      );
      continue;
    }
    const value = await resolveValueFrom(item.valueFrom, container, ctx, ns);
    if (value !== undefined) env.set(item.name, value);
  }

  const base = ctx.baseEnv ?? process.env;
  for (const name of ['PATH', 'HOME']) {
    const value = base[name];
    if (!env.has(name) && value !== undefined) env.set(name, value);
  }
  if (!env.has('HOSTNAME')) env.set('HOSTNAME', ctx.pod.metadata?.name ?? '');
  return env;
}

async function resolveValueFrom(
  from: k8s.V1EnvVarSource,
  container: k8s.V1Container,
  ctx: EnvContext,
  ns: string,
): Promise<string | undefined> {
  if (from.fieldRef) return resolveFieldPath(ctx.pod, from.fieldRef.fieldPath);
  if (from.resourceFieldRef) {
    const ref = { ...from.resourceFieldRef, containerName: from.resourceFieldRef.containerName || container.name };
    return resolveResourceField(ctx.pod, ref, ctx.nodeCpu, ctx.nodeMemory);
  }
  const keyRef = from.configMapKeyRef ?? from.secretKeyRef;
  if (keyRef) {
    const kind = from.configMapKeyRef ? 'configmap' : 'secret';
    const data = from.configMapKeyRef
      ? await ctx.objects.configMap(ns, keyRef.name ?? '')
      : await ctx.objects.secret(ns, keyRef.name ?? '');
    const value = data?.get(keyRef.key);
    if (value !== undefined) return value.toString('utf8');
    if (keyRef.optional) return undefined;
    if (!data) throw new ContainerConfigError(`${kind} "${keyRef.name}" not found`);
    throw new ContainerConfigError(`couldn't find key ${keyRef.key} in ${kind} ${ns}/${keyRef.name}`);
  }
  throw new ContainerConfigError('unsupported env valueFrom');
}

/** command + args with `$(VAR)` expanded from the container's final environment. */
export function resolveCommand(container: k8s.V1Container, env: Map<string, string>): string[] {
  const lookup = (name: string): string | undefined => env.get(name);
  return [...(container.command ?? []), ...(container.args ?? [])].map((part) => expand(part, lookup));
}
