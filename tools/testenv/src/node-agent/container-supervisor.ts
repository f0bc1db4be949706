// Runs one container of a pod through its attempts: image checks, config,
// spawn, exit classification and restarts per the effective restart policy.
// It owns that container's slice of the pod status.
import type * as k8s from '@kubernetes/client-node';
import { accessSync, constants as fsConstants, mkdirSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import { ContainerProcess, type ContainerExit, type ContainerLaunch } from './container-process.js';
import { buildEnv, ContainerConfigError, resolveCommand } from './env.js';
import { fakeImageId, isValidImageReference } from './image-ref.js';
import { errorMessage, nowIso, sleep } from './kube.js';
import type { MemoryMonitor } from './memory-monitor.js';
import type { EventRecorder } from './events.js';
import type { ObjectSource } from './object-source.js';
import { parseQuantity } from './quantity.js';
import type { ContainerState, ContainerStatus } from './status-types.js';
import { containerMounts, VolumeError } from './volumes.js';

export type ContainerKind = 'init' | 'sidecar' | 'main';
export type RestartPolicy = 'Always' | 'OnFailure' | 'Never';

export interface SupervisorDeps {
  pod: () => k8s.V1Pod;
  podDir: string;
  volumes: Map<string, string>;
  objects: ObjectSource;
  memory: MemoryMonitor;
  nodeCpu: number;
  nodeMemory: number;
  imagePullFailPattern: RegExp | undefined;
  /** Called whenever this container's status changed. */
  changed: () => void;
  event: EventRecorder;
  log: Logger;
}

const MAX_BACKOFF_MS = 10_000;

export class ContainerSupervisor {
  readonly name: string;
  restartCount = 0;
  state: ContainerState;
  lastState: ContainerState = {};
  ready = false;
  started = false;
  containerID: string | undefined;
  /** Exit code of the last finished attempt. */
  lastExitCode: number | undefined;
  private proc: ContainerProcess | undefined;
  private attemptLive = false;
  private stopRequested = false;
  private readonly wake = new AbortController();
  private readonly dir: string;

  constructor(
    readonly spec: k8s.V1Container,
    readonly kind: ContainerKind,
    private readonly policy: RestartPolicy,
    initialWaitingReason: string,
    private readonly deps: SupervisorDeps,
  ) {
    this.name = spec.name;
    this.state = { waiting: { reason: initialWaitingReason } };
    this.dir = path.join(deps.podDir, 'containers', spec.name);
    mkdirSync(this.dir, { recursive: true });
  }

  get running(): boolean {
    return this.proc !== undefined;
  }

  /** Runs attempts until one ends for good; resolves with its exit code, or undefined if none ran to the end. */
  async run(): Promise<number | undefined> {
    for (;;) {
      if (this.stopRequested) return this.lastExitCode;
      const image = this.spec.image ?? '';
      if (!isValidImageReference(image)) {
        this.setWaiting(
          'InvalidImageName',
          `Failed to apply default image tag "${image}": couldn't parse image name "${image}": invalid reference format`,
        );
        await this.waitForStop();
        return undefined;
      }
      if (this.deps.imagePullFailPattern?.test(image)) {
        await this.failImagePullUntilStopped(image);
        return undefined;
      }
      const exitCode = await this.attempt();
      if (exitCode === 'config-error') {
        await sleep(2000, this.wake.signal);
        continue;
      }
      if (this.stopRequested) return exitCode;
      const restart = this.policy === 'Always' || (this.policy === 'OnFailure' && exitCode !== 0);
      if (!restart) return exitCode;
      const delay = Math.min(1000 * 2 ** this.restartCount, MAX_BACKOFF_MS);
      this.lastState = this.state;
      this.restartCount++;
      this.setWaiting(
        'CrashLoopBackOff',
        `back-off ${Math.round(delay / 1000)}s restarting failed container=${this.name} pod=${this.deps.pod().metadata?.name}`,
      );
      await sleep(delay, this.wake.signal);
    }
  }

  /** SIGTERM (or the given signal) to the running attempt; no further attempts start. */
  stop(signal: NodeJS.Signals = 'SIGTERM'): void {
    this.stopRequested = true;
    this.wake.abort();
    this.proc?.terminate(signal);
  }

  kill(): void {
    this.stopRequested = true;
    this.wake.abort();
    this.proc?.kill();
  }

  /** The log of the current attempt (or the previous one) and whether it is still being written. */
  logFile(previous: boolean): { file: string; live: () => boolean } | undefined {
    const attempt = previous ? this.restartCount - 1 : this.restartCount;
    if (attempt < 0) return undefined;
    if (!previous && !this.started && this.state.terminated === undefined) return undefined;
    const file = this.logPath(attempt);
    return { file, live: () => !previous && this.attemptLive && attempt === this.restartCount };
  }

  status(): ContainerStatus {
    const image = this.spec.image ?? '';
    return {
      name: this.name,
      image,
      imageID: this.started || this.lastExitCode !== undefined ? fakeImageId(image) : '',
      ...(this.containerID ? { containerID: this.containerID } : {}),
      ready: this.ready,
      started: this.started,
      restartCount: this.restartCount,
      state: this.state,
      lastState: this.lastState,
    };
  }

  private logPath(attempt: number): string {
    return path.join(this.dir, `${attempt}.log`);
  }

  /** One run of the container's command: its exit code, or 'config-error' when it could not be configured. */
  private async attempt(): Promise<number | 'config-error'> {
    const config = await this.configure();
    if (config === 'config-error') return config;
    const { argv, env } = config;
    const unstartable = unstartableReason(this.name, argv, env);
    if (unstartable) return this.startError(unstartable);
    const workingDir = this.spec.workingDir ? path.resolve('/', this.spec.workingDir) : path.join(this.dir, 'work');
    mkdirSync(workingDir, { recursive: true });

    let oomKilled = false;
    const proc = this.startProcess({ ...config, workingDir });
    const startedAt = proc.startedAt.toISOString();
    const limit = this.spec.resources?.limits?.memory as string | number | undefined;
    const unwatch =
      limit !== undefined
        ? this.deps.memory.watch(proc.pid, parseQuantity(limit), () => (oomKilled = true))
        : undefined;
    if (this.stopRequested) proc.terminate();

    const exit = await proc.exited;
    unwatch?.();
    this.recordExit(proc, exit, { startedAt, oomKilled, limit });
    return exit.exitCode;
  }

  /** The attempt's environment, command and mounts; on bad config, waiting in CreateContainerConfigError. */
  private async configure(): Promise<
    { argv: string[]; env: Map<string, string>; mounts: ContainerLaunch['mounts'] } | 'config-error'
  > {
    const pod = this.deps.pod();
    try {
      const env = await buildEnv(this.spec, {
        pod,
        objects: this.deps.objects,
        nodeCpu: this.deps.nodeCpu,
        nodeMemory: this.deps.nodeMemory,
      });
      const argv = resolveCommand(this.spec, env);
      const mounts = await containerMounts(this.spec, this.deps.volumes);
      return { argv, env, mounts };
    } catch (err) {
      if (err instanceof ContainerConfigError || err instanceof VolumeError) {
        this.setWaiting('CreateContainerConfigError', err.message);
      } else {
        this.setWaiting('CreateContainerConfigError', `node agent: ${errorMessage(err)}`);
      }
      return 'config-error';
    }
  }

  /** Spawns the attempt's process and marks the container running (and ready: there are no probes). */
  private startProcess(launch: Omit<ContainerLaunch, 'logFile' | 'pidFile'>): ContainerProcess {
    this.attemptLive = true;
    const proc = new ContainerProcess({
      ...launch,
      logFile: this.logPath(this.restartCount),
      pidFile: path.join(this.dir, 'pid'),
    });
    this.proc = proc;
    this.containerID = `kiln://${proc.pid}`;
    this.state = { running: { startedAt: proc.startedAt.toISOString() } };
    this.started = true;
    this.ready = true; // no probes: a running container is ready
    this.deps.changed();
    this.deps.log.info({ container: this.name, pid: proc.pid, argv: launch.argv }, 'container started');
    this.emit('Normal', 'Started', `Started container ${this.name}`);
    return proc;
  }

  /** The attempt ended: terminated state (Completed, Error or OOMKilled) and the exit code kept. */
  private recordExit(
    proc: ContainerProcess,
    exit: ContainerExit,
    { startedAt, oomKilled, limit }: { startedAt: string; oomKilled: boolean; limit: string | number | undefined },
  ): void {
    this.proc = undefined;
    this.attemptLive = false;
    this.lastExitCode = exit.exitCode;
    this.ready = false;
    this.started = false;
    const reason = oomKilled ? 'OOMKilled' : exit.exitCode === 0 ? 'Completed' : 'Error';
    this.state = {
      terminated: {
        exitCode: exit.exitCode,
        ...(exit.signal ? { signal: signalNumber(exit.signal) } : {}),
        reason,
        ...(oomKilled ? { message: `memory usage exceeded the limit ${String(limit)}` } : {}),
        startedAt,
        finishedAt: exit.finishedAt.toISOString(),
        containerID: this.containerID,
      },
    };
    this.deps.log.info({ container: this.name, pid: proc.pid, exitCode: exit.exitCode, reason }, 'container exited');
    if (oomKilled)
      this.emit('Warning', 'OOMKilling', `Memory limit ${String(limit)} exceeded: killed process group ${proc.pid}`);
    this.deps.changed();
  }

  /** The runtime could not start the process: terminated with 128 / StartError, as containerd reports it. */
  private startError(message: string): number {
    const now = nowIso();
    this.lastExitCode = 128;
    this.state = { terminated: { exitCode: 128, reason: 'StartError', message, startedAt: now, finishedAt: now } };
    this.deps.log.info({ container: this.name, message }, 'container failed to start');
    this.emit('Warning', 'Failed', `Error: ${message}`);
    this.deps.changed();
    return 128;
  }

  private async failImagePullUntilStopped(image: string): Promise<void> {
    let backoff = 2000;
    while (!this.stopRequested) {
      this.setWaiting(
        'ErrImagePull',
        `failed to pull and unpack image "${image}": failed to resolve reference "${image}": not found`,
      );
      await sleep(1000, this.wake.signal);
      if (this.stopRequested) break;
      this.setWaiting('ImagePullBackOff', `Back-off pulling image "${image}"`);
      await sleep(backoff, this.wake.signal);
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    }
  }

  private async waitForStop(): Promise<void> {
    while (!this.stopRequested) await sleep(60_000, this.wake.signal);
  }

  private emit(type: 'Normal' | 'Warning', reason: string, message: string): void {
    const field = this.kind === 'main' ? 'containers' : 'initContainers';
    this.deps.event(this.deps.pod(), type, reason, message, `spec.${field}{${this.name}}`);
  }

  private setWaiting(reason: string, message?: string): void {
    // One event per change of waiting reason, not one per retry.
    if (this.state.waiting?.reason !== reason) {
      const warning = [
        'InvalidImageName',
        'ErrImagePull',
        'ImagePullBackOff',
        'CreateContainerConfigError',
        'CrashLoopBackOff',
      ];
      const eventReason: Record<string, string> = {
        ErrImagePull: 'Failed',
        ImagePullBackOff: 'BackOff',
        CrashLoopBackOff: 'BackOff',
        InvalidImageName: 'InspectFailed',
        CreateContainerConfigError: 'Failed',
      };
      if (warning.includes(reason)) this.emit('Warning', eventReason[reason] ?? reason, message ?? reason);
    }
    this.state = { waiting: { reason, ...(message ? { message } : {}) } };
    this.deps.changed();
  }
}

/** Why the runtime could not start `argv` (no command, or a program not on PATH), as containerd words it; else undefined. */
function unstartableReason(container: string, argv: string[], env: Map<string, string>): string | undefined {
  // Without an image there is no ENTRYPOINT to fall back to; fail like a runtime would.
  if (argv.length === 0)
    return `node agent needs an explicit command: container "${container}" has no command and images are not run`;
  const program = argv[0] ?? '';
  if (!program.includes('/') && !findInPath(program, env.get('PATH')))
    return `failed to create containerd task: exec: "${program}": executable file not found in $PATH`;
  return undefined;
}

function findInPath(program: string, pathVar: string | undefined): boolean {
  return (pathVar ?? '').split(':').some((dir) => {
    try {
      accessSync(path.join(dir || '.', program), fsConstants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function signalNumber(name: string): number | undefined {
  return (osConstants.signals as Record<string, number>)[name];
}
