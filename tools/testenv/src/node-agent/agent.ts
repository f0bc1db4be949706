// Wires the node agent together: Node registration, the pod cache, the
// scheduler, one PodRunner per pod bound here, and the log server.
import type * as k8s from '@kubernetes/client-node';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import type https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import { eventRecorder, type EventRecorder } from './events.js';
import { errorMessage, isNotFound, type KubeClients, makeClients } from './kube.js';
import { startLogServer, type LogSource } from './log-server.js';
import { killOrphans, markLost, wasStarted } from './lost-pods.js';
import { MemoryMonitor } from './memory-monitor.js';
import { NodeRegistration, type NodeOptions, nodeCapacity, nodeLabels } from './node-registration.js';
import { apiObjectSource } from './object-source.js';
import { podDirFor, PodRunner } from './pod-runner.js';
import { type PodEvent, PodWatcher } from './pod-watcher.js';
import { toResourceList } from './quantity.js';
import { Scheduler } from './scheduler.js';

export interface AgentOptions {
  kubeconfig: string;
  nodeName: string;
  schedulerName: string;
  dataDir: string;
  port: number;
  tlsCert: string;
  tlsKey: string;
  gpus: number;
  cpu?: number;
  memoryBytes?: number;
  maxPods: number;
  labels: Record<string, string>;
  kubeletVersion: string;
  imagePullFailPattern?: RegExp;
}

const isTerminal = (pod: k8s.V1Pod): boolean => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

export class Agent {
  private readonly clients: KubeClients;
  private readonly runners = new Map<string, PodRunner>();
  private readonly memory = new MemoryMonitor();
  private readonly node: NodeOptions;
  private readonly registration: NodeRegistration;
  private readonly watcher: PodWatcher;
  private readonly scheduler: Scheduler;
  private server: https.Server | undefined;
  private readonly event: EventRecorder;

  constructor(
    private readonly o: AgentOptions,
    private readonly log: Logger,
  ) {
    this.clients = makeClients(o.kubeconfig);
    this.event = eventRecorder(this.clients.core, 'kubelet', o.nodeName);
    this.node = {
      nodeName: o.nodeName,
      port: o.port,
      cpu: o.cpu ?? os.cpus().length,
      memoryBytes: o.memoryBytes ?? os.totalmem(),
      pods: o.maxPods,
      gpus: o.gpus,
      kubeletVersion: o.kubeletVersion,
      extraLabels: o.labels,
    };
    this.registration = new NodeRegistration(this.clients, this.node, log);
    this.watcher = new PodWatcher(this.clients.kc, this.clients.core, (type, pod) => this.onPod(type, pod), log);
    this.scheduler = new Scheduler({
      core: this.clients.core,
      nodeName: o.nodeName,
      schedulerName: o.schedulerName,
      labels: nodeLabels(this.node),
      allocatable: toResourceList(nodeCapacity(this.node)),
      pods: () => this.watcher.pods.values(),
      event: eventRecorder(this.clients.core, 'default-scheduler', ''),
      log,
    });
  }

  async start(): Promise<void> {
    mkdirSync(path.join(this.o.dataDir, 'pods'), { recursive: true });
    const orphans = killOrphans(this.o.dataDir);
    if (orphans > 0) this.log.warn({ orphans }, 'killed container processes left by a previous agent');
    this.server = await startLogServer({
      cert: readFileSync(this.o.tlsCert),
      key: readFileSync(this.o.tlsKey),
      port: this.o.port,
      lookup: (ns, pod, container, previous) => this.logSource(ns, pod, container, previous),
      log: this.log,
    });
    await this.registration.register();
    this.registration.start();
    this.watcher.start();
    await this.watcher.synced();
    this.removeStalePodDirs();
    this.scheduler.start();
    this.log.info({ node: this.o.nodeName, port: this.o.port }, 'node agent ready');
  }

  /** Kills every container (SIGTERM, then SIGKILL after a short grace) and stops all loops. */
  async stop(graceMs = 2000): Promise<void> {
    this.scheduler.stop();
    this.watcher.stop();
    this.registration.stop();
    const runners = [...this.runners.values()];
    for (const r of runners) r.terminate('shutdown', graceMs / 1000);
    const all = Promise.all(runners.map((r) => r.done));
    const timeout = new Promise((resolve) => setTimeout(resolve, graceMs + 1000).unref());
    await Promise.race([all, timeout]);
    for (const r of runners) r.killAll();
    this.memory.stop();
    this.server?.close();
    this.server?.closeAllConnections();
  }

  private onPod(type: PodEvent, pod: k8s.V1Pod): void {
    const uid = pod.metadata?.uid ?? '';
    if (type === 'DELETED') {
      const runner = this.runners.get(uid);
      this.runners.delete(uid);
      runner?.killAll();
      const cleanup = (): void => rmSync(podDirFor(this.o.dataDir, uid), { recursive: true, force: true });
      if (runner) void runner.done.then(cleanup);
      else cleanup();
      this.scheduler.forget(uid);
      this.scheduler.kick();
      return;
    }
    if (pod.spec?.nodeName === this.o.nodeName) this.onBoundPod(uid, pod);
    this.scheduler.kick();
  }

  private onBoundPod(uid: string, pod: k8s.V1Pod): void {
    const existing = this.runners.get(uid);
    if (existing) return existing.observe(pod);
    if (isTerminal(pod)) return; // finished before this agent started: only its logs remain
    const key = `${pod.metadata?.namespace}/${pod.metadata?.name}`;
    if (wasStarted(pod)) {
      this.log.warn({ pod: key }, 'pod was started by a previous agent; marking it failed');
      void markLost(this.clients, pod)
        .then(() => (pod.metadata?.deletionTimestamp ? this.forceDelete(pod) : undefined))
        .catch((err: unknown) => this.log.warn({ pod: key, err: errorMessage(err) }, 'could not mark lost pod'));
      return;
    }
    const runner = new PodRunner(pod, {
      clients: this.clients,
      objects: apiObjectSource(this.clients.core),
      memory: this.memory,
      dataDir: this.o.dataDir,
      nodeCpu: this.node.cpu,
      nodeMemory: this.node.memoryBytes,
      imagePullFailPattern: this.o.imagePullFailPattern,
      event: this.event,
      log: this.log,
    });
    this.runners.set(uid, runner);
    this.log.info({ pod: key }, 'starting pod');
    runner.start();
    runner.observe(pod);
  }

  private async forceDelete(pod: k8s.V1Pod): Promise<void> {
    const { namespace = 'default', name = '' } = pod.metadata ?? {};
    try {
      await this.clients.core.deleteNamespacedPod({ namespace, name, gracePeriodSeconds: 0 });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  private logSource(
    namespace: string,
    name: string,
    container: string,
    previous: boolean,
  ): LogSource | { status: number; message: string } {
    const pod = [...this.watcher.pods.values()].find(
      (p) => p.metadata?.namespace === namespace && p.metadata?.name === name,
    );
    if (!pod || pod.spec?.nodeName !== this.o.nodeName)
      return { status: 404, message: `pod "${name}" not found on node ${this.o.nodeName}\n` };
    const uid = pod.metadata?.uid ?? '';
    const sup = this.runners.get(uid)?.container(container);
    const found = sup?.logFile(previous);
    if (found) return found;
    if (!sup) {
      // No runner (finished before this agent started): the files are still on disk.
      const all = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
      const restarts = all.find((s) => s.name === container)?.restartCount ?? 0;
      const file = path.join(
        podDirFor(this.o.dataDir, uid),
        'containers',
        container,
        `${previous ? restarts - 1 : restarts}.log`,
      );
      if (existsSync(file)) return { file, live: () => false };
    }
    if (previous)
      return { status: 400, message: `previous terminated container "${container}" in pod "${name}" not found\n` };
    const reason = sup?.state.waiting?.reason ?? 'ContainerCreating';
    return { status: 400, message: `container "${container}" in pod "${name}" is waiting to start: ${reason}\n` };
  }

  private removeStalePodDirs(): void {
    const known = new Set(this.watcher.pods.keys());
    const podsDir = path.join(this.o.dataDir, 'pods');
    for (const uid of readdirSync(podsDir)) {
      if (!known.has(uid)) rmSync(path.join(podsDir, uid), { recursive: true, force: true });
    }
  }
}
