// Materialises a pod's volumes as host directories under the pod dir (or the
// host path itself for hostPath). Containers see them through bind mounts set
// up in their own mount namespace (see container-process.ts).
import type * as k8s from '@kubernetes/client-node';
import { mkdir, writeFile } from 'node:fs/promises';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { resolveFieldPath, resolveResourceField } from './env.js';
import type { ObjectSource } from './object-source.js';

/** Reported like the kubelet's FailedMount: containers stay ContainerCreating and it is retried. */
export class VolumeError extends Error {}

export interface Mount {
  source: string;
  target: string;
  readOnly: boolean;
}

export interface VolumeContext {
  pod: k8s.V1Pod;
  podDir: string;
  objects: ObjectSource;
  nodeCpu: number;
  nodeMemory: number;
}

/** Returns volume name -> host path. */
export async function prepareVolumes(ctx: VolumeContext): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const volume of ctx.pod.spec?.volumes ?? []) {
    out.set(volume.name, await prepareVolume(volume, ctx));
  }
  return out;
}

async function prepareVolume(volume: k8s.V1Volume, ctx: VolumeContext): Promise<string> {
  const ns = ctx.pod.metadata?.namespace ?? 'default';
  if (volume.hostPath) return prepareHostPath(volume.hostPath);
  const dir = path.join(ctx.podDir, 'volumes', safeName(volume.name));
  await mkdir(dir, { recursive: true });
  if (volume.configMap) {
    const data = await ctx.objects.configMap(ns, volume.configMap.name ?? '');
    await writeKeys(
      dir,
      data,
      volume.configMap.items,
      volume.configMap.optional,
      `configmap "${volume.configMap.name}"`,
    );
  } else if (volume.secret) {
    const data = await ctx.objects.secret(ns, volume.secret.secretName ?? '');
    await writeKeys(dir, data, volume.secret.items, volume.secret.optional, `secret "${volume.secret.secretName}"`);
  } else if (volume.downwardAPI) {
    await writeDownward(dir, volume.downwardAPI.items, ctx);
  } else if (volume.projected) {
    for (const source of volume.projected.sources ?? []) await writeProjection(dir, source, ctx, ns);
  }
  // emptyDir and every unsupported type (PVCs, CSI, ...) are a plain empty folder.
  return dir;
}

async function prepareHostPath(source: k8s.V1HostPathVolumeSource): Promise<string> {
  // Absolute paths only: the mount script must never see an argument that starts with '-'.
  const hp = { ...source, path: path.resolve('/', source.path) };
  if (hp.type === 'DirectoryOrCreate') await mkdir(hp.path, { recursive: true });
  else if (hp.type === 'FileOrCreate' && !existsSync(hp.path)) {
    await mkdir(path.dirname(hp.path), { recursive: true });
    await writeFile(hp.path, '');
  } else if ((hp.type === 'Directory' || hp.type === 'File') && !existsSync(hp.path)) {
    throw new VolumeError(`hostPath type check failed: ${hp.path} does not exist`);
  }
  return hp.path;
}

async function writeKeys(
  dir: string,
  data: Map<string, Buffer> | undefined,
  items: k8s.V1KeyToPath[] | undefined,
  optional: boolean | undefined,
  what: string,
): Promise<void> {
  if (!data) {
    if (optional) return;
    throw new VolumeError(`${what} not found`);
  }
  const pairs = items?.length
    ? items.map((i) => [i.key, i.path] as const)
    : [...data.keys()].map((k) => [k, k] as const);
  for (const [key, rel] of pairs) {
    const value = data.get(key);
    if (value === undefined) {
      if (optional) continue;
      throw new VolumeError(`${what} has no key ${key}`);
    }
    await writeInside(dir, rel, value);
  }
}

async function writeDownward(
  dir: string,
  items: k8s.V1DownwardAPIVolumeFile[] | undefined,
  ctx: VolumeContext,
): Promise<void> {
  for (const item of items ?? []) {
    let value = '';
    if (item.fieldRef) value = resolveFieldPath(ctx.pod, item.fieldRef.fieldPath);
    else if (item.resourceFieldRef)
      value = resolveResourceField(ctx.pod, item.resourceFieldRef, ctx.nodeCpu, ctx.nodeMemory);
    await writeInside(dir, item.path, Buffer.from(value));
  }
}

async function writeProjection(
  dir: string,
  source: k8s.V1VolumeProjection,
  ctx: VolumeContext,
  ns: string,
): Promise<void> {
  if (source.configMap) {
    const data = await ctx.objects.configMap(ns, source.configMap.name ?? '');
    // kube-root-ca.crt is published by the controller-manager, which does not run
    // here; a missing one must not keep every pod from starting.
    const optional = source.configMap.optional ?? source.configMap.name === 'kube-root-ca.crt';
    await writeKeys(dir, data, source.configMap.items, optional, `configmap "${source.configMap.name}"`);
  } else if (source.secret) {
    const data = await ctx.objects.secret(ns, source.secret.name ?? '');
    await writeKeys(dir, data, source.secret.items, source.secret.optional, `secret "${source.secret.name}"`);
  } else if (source.downwardAPI) {
    await writeDownward(dir, source.downwardAPI.items, ctx);
  } else if (source.serviceAccountToken) {
    const sa = ctx.pod.spec?.serviceAccountName ?? 'default';
    const tokenSource = source.serviceAccountToken;
    // Best effort: an API server without token signing still runs the pod, with an empty token.
    const token = await ctx.objects
      .serviceAccountToken(
        ns,
        sa,
        tokenSource.audience ? [tokenSource.audience] : undefined,
        tokenSource.expirationSeconds,
      )
      .catch(() => '');
    await writeInside(dir, tokenSource.path, Buffer.from(token));
  }
}

async function writeInside(dir: string, rel: string, value: Buffer): Promise<void> {
  const target = path.resolve(dir, rel);
  if (!target.startsWith(dir + path.sep)) throw new VolumeError(`path ${JSON.stringify(rel)} escapes the volume`);
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, value);
}

function safeName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_.-]/g, '_');
}

/** The bind mounts for one container; creates each mount point on the host when missing. */
export async function containerMounts(container: k8s.V1Container, volumes: Map<string, string>): Promise<Mount[]> {
  const mounts: Mount[] = [];
  for (const mount of container.volumeMounts ?? []) {
    // Absolute, so no mount point can be mistaken for an option by mount(8).
    const vm = { ...mount, mountPath: path.resolve('/', mount.mountPath) };
    const base = volumes.get(vm.name);
    if (base === undefined) throw new VolumeError(`volume "${vm.name}" not found in pod spec`);
    let source = base;
    if (vm.subPath) {
      source = path.resolve(base, vm.subPath);
      if (source !== base && !source.startsWith(base + path.sep))
        throw new VolumeError(`subPath ${JSON.stringify(vm.subPath)} escapes the volume`);
      if (!existsSync(source)) await mkdir(source, { recursive: true });
    }
    const isFile = existsSync(source) && statSync(source).isFile();
    // A bind mount needs an existing target of the same kind (file over file, dir over dir).
    if (!existsSync(vm.mountPath)) {
      if (isFile) {
        await mkdir(path.dirname(vm.mountPath), { recursive: true });
        await writeFile(vm.mountPath, '');
      } else {
        await mkdir(vm.mountPath, { recursive: true });
      }
    }
    mounts.push({ source, target: vm.mountPath, readOnly: vm.readOnly ?? false });
  }
  // Parents before children, or a mount at /a would hide one made earlier at /a/b.
  const depth = (m: Mount): number => m.target.split('/').length;
  return mounts.sort((a, b) => depth(a) - depth(b));
}
