// Registers the Node object and keeps it alive: status heartbeats every 10 s
// and a Lease in kube-node-lease, like the kubelet's node status loop.
import type * as k8s from '@kubernetes/client-node';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { Logger } from 'pino';
import { errorMessage, isConflict, isNotFound, type KubeClients, mergePatch, nowIso } from './kube.js';

export interface NodeOptions {
  nodeName: string;
  port: number;
  cpu: number;
  memoryBytes: number;
  pods: number;
  gpus: number;
  kubeletVersion: string;
  extraLabels: Record<string, string>;
}

const goArch: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x' };

export function nodeLabels(o: NodeOptions): Record<string, string> {
  return {
    'kubernetes.io/hostname': o.nodeName,
    'kubernetes.io/os': 'linux',
    'kubernetes.io/arch': goArch[process.arch] ?? process.arch,
    'beta.kubernetes.io/os': 'linux',
    'beta.kubernetes.io/arch': goArch[process.arch] ?? process.arch,
    ...o.extraLabels,
  };
}

export function nodeCapacity(o: NodeOptions): Record<string, string> {
  return {
    cpu: String(o.cpu),
    memory: `${Math.floor(o.memoryBytes / 1024)}Ki`,
    pods: String(o.pods),
    'ephemeral-storage': '100Gi',
    'nvidia.com/gpu': String(o.gpus),
  };
}

function readOr(file: string, fallback: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return fallback;
  }
}

function osImage(): string {
  const m = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(readOr('/etc/os-release', ''));
  return m?.[1] ?? 'Linux';
}

export class NodeRegistration {
  private timer: NodeJS.Timeout | undefined;
  private readonly readySince = nowIso();
  private nodeUid: string | undefined;

  constructor(
    private readonly clients: KubeClients,
    private readonly o: NodeOptions,
    private readonly log: Logger,
  ) {}

  async register(): Promise<void> {
    const body: k8s.V1Node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: this.o.nodeName, labels: nodeLabels(this.o) },
      spec: {},
    };
    try {
      this.nodeUid = (await this.clients.core.createNode({ body })).metadata?.uid;
      this.log.info({ node: this.o.nodeName }, 'node registered');
    } catch (err) {
      if (!isConflict(err)) throw err;
      const patched = await this.clients.core.patchNode(
        { name: this.o.nodeName, body: { metadata: { labels: nodeLabels(this.o) } } },
        mergePatch,
      );
      this.nodeUid = patched.metadata?.uid;
      this.log.info({ node: this.o.nodeName }, 'node already registered; updated it');
    }
    await this.heartbeat();
  }

  start(intervalMs = 10_000): void {
    this.timer = setInterval(() => {
      this.heartbeat().catch((err: unknown) => this.log.warn({ err: errorMessage(err) }, 'node heartbeat failed'));
    }, intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private status(): object {
    const now = nowIso();
    const capacity = nodeCapacity(this.o);
    const cond = (type: string, status: string, reason: string, message: string): object => ({
      type,
      status,
      reason,
      message,
      lastHeartbeatTime: now,
      lastTransitionTime: this.readySince,
    });
    return {
      capacity,
      allocatable: capacity,
      conditions: [
        cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        cond('Ready', 'True', 'KubeletReady', 'kiln test node agent is posting ready status'),
      ],
      addresses: [
        { type: 'InternalIP', address: '127.0.0.1' },
        { type: 'Hostname', address: this.o.nodeName },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: this.o.port } },
      nodeInfo: {
        machineID: readOr('/etc/machine-id', 'kiln-test-node'),
        systemUUID: readOr('/sys/class/dmi/id/product_uuid', 'kiln-test-node'),
        bootID: readOr('/proc/sys/kernel/random/boot_id', ''),
        kernelVersion: os.release(),
        osImage: osImage(),
        containerRuntimeVersion: 'kiln-node-agent://0.1.0',
        kubeletVersion: this.o.kubeletVersion,
        kubeProxyVersion: '',
        operatingSystem: 'linux',
        architecture: goArch[process.arch] ?? process.arch,
      },
    };
  }

  private async heartbeat(): Promise<void> {
    await this.clients.core.patchNodeStatus({ name: this.o.nodeName, body: { status: this.status() } }, mergePatch);
    await this.renewLease();
  }

  private async renewLease(): Promise<void> {
    const namespace = 'kube-node-lease';
    const name = this.o.nodeName;
    const spec = {
      holderIdentity: name,
      leaseDurationSeconds: 40,
      renewTime: new Date().toISOString().replace('Z', '000Z'),
    };
    try {
      await this.clients.coordination.patchNamespacedLease({ namespace, name, body: { spec } }, mergePatch);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      // Created without renewTime (the typed serializer wants a Date, the API a MicroTime), then renewed.
      await this.clients.coordination.createNamespacedLease({
        namespace,
        body: {
          metadata: {
            name,
            // As the kubelet does, so a garbage collector (where one runs) removes it with the Node.
            ...(this.nodeUid ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: this.nodeUid }] } : {}),
          },
          spec: { holderIdentity: name, leaseDurationSeconds: 40 },
        },
      });
      await this.clients.coordination.patchNamespacedLease({ namespace, name, body: { spec } }, mergePatch);
    }
  }
}
