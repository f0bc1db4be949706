/**
 * The two processes of an end-to-end test, run exactly as a user would: the
 * Kiln worker (`apps/worker/src/main.ts`, configured only through its `KILN_*`
 * environment) and the `bin/kiln` CLI. Both start in their own process group
 * and are stopped by pid; every wait has a deadline. Used by examples/kubernetes
 * and tools/bench/pods.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { podLauncherBundleCommand, staticLauncherHostCommand } from '@kiln/k8s-activities';
import type { TestEnvironmentWith } from '@kiln/testenv';
import { workspaceRoot } from './workspace-root';

export { workspaceRoot };

/**
 * How the launcher containers start the in-pod launcher on the test cluster.
 * Its node agent runs containers as host processes and ignores images, so
 * instead of the launcher image's `kiln-pod-launcher` the pods run this
 * checkout's in-pod launcher bundled the same way (esbuild, into the cache).
 */
export function testClusterLauncherCommand(): string[] {
  return podLauncherBundleCommand();
}

/**
 * How the launcher containers start the static launcher (apps/static-launcher) on the test cluster:
 * this checkout's, built with `go build` into the cache, as the launcher image ships it.
 */
export function testClusterStaticLauncherCommand(): string[] {
  return staticLauncherHostCommand();
}

function tsxArgs(script: string): string[] {
  return ['--import', pathToFileURL(join(workspaceRoot(), 'node_modules', 'tsx', 'dist', 'loader.mjs')).href, script];
}

/** Signals a process group started with `detached: true`; a group already gone is fine. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    /* already gone */
  }
}

/** SIGTERM, then SIGKILL to the whole group if it has not exited after `graceMs`. */
export async function stopGroup(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  signalGroup(child, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
  // Whatever the leader left in its group (none expected) goes too.
  signalGroup(child, 'SIGKILL');
}

export interface WorkerProcess {
  child: ChildProcess;
  /** Everything the worker wrote so far (JSON log lines). */
  output(): string;
  /** Graceful stop (SIGTERM: in-flight activities end, step pods are left for reattachment), SIGKILL after 20 s. */
  stop(): Promise<void>;
}

/**
 * Starts `apps/worker/src/main.ts` with `env` on top of this process's
 * environment and waits for its "kiln worker running" log line.
 */
export async function startWorkerProcess(env: Record<string, string>, readyTimeoutMs: number): Promise<WorkerProcess> {
  const root = workspaceRoot();
  const child = spawn(process.execPath, tsxArgs(join(root, 'apps', 'worker', 'src', 'main.ts')), {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TSX_TSCONFIG_PATH: join(root, 'tsconfig.json'), ...env },
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const worker: WorkerProcess = { child, output: () => output, stop: () => stopGroup(child, 20_000) };
  try {
    await new Promise<void>((ready, fail) => {
      const timer = setTimeout(
        () => fail(new Error(`the worker was not running after ${readyTimeoutMs} ms:\n${output}`)),
        readyTimeoutMs,
      );
      const check = () => {
        if (output.includes('"msg":"kiln worker running"')) {
          clearTimeout(timer);
          ready();
        }
      };
      child.stdout?.on('data', check);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        fail(new Error(`the worker exited (${code ?? signal}) before running:\n${output}`));
      });
    });
  } catch (error) {
    await worker.stop();
    throw error;
  }
  return worker;
}

export interface CliRun {
  child: ChildProcess;
  /** Resolves when the CLI exits (or was killed at the deadline). */
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
  stderr(): string;
}

/**
 * Starts `bin/kiln <args>` with `env` on top of this process's environment.
 * The process group is killed at `deadlineMs`, so a hung run cannot hang the test.
 */
export function startKiln(args: string[], env: Record<string, string>, deadlineMs: number): CliRun {
  const root = workspaceRoot();
  const child = spawn(join(root, 'bin', 'kiln'), args, {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const deadline = setTimeout(() => {
    stderr += `\n[test] bin/kiln still running after ${deadlineMs} ms: killed\n`;
    signalGroup(child, 'SIGKILL');
  }, deadlineMs);
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((settle) => {
    child.once('close', (code) => {
      clearTimeout(deadline);
      settle({ code, stdout, stderr });
    });
  });
  return { child, done, stderr: () => stderr };
}

/** What {@link kubernetesWorkerEnv} needs to point a worker at tools/testenv's servers. */
export interface KubernetesWorkerSetup {
  servers: TestEnvironmentWith<'temporal' | 'minio' | 'kubernetes'>;
  taskQueue: string;
  /** `s3://<bucket>/<prefix>` in the testenv MinIO. */
  storeUrl: string;
  /** Namespace of the step pods. */
  namespace: string;
  /** The Secret holding the store credentials for the launcher containers. */
  storeSecret: string;
  /** Only a label on the test cluster: its node agent runs {@link testClusterLauncherCommand} instead. */
  launcherImage: string;
}

/**
 * The environment of a worker with the Kubernetes executor on tools/testenv's
 * Temporal, MinIO and apiserver, configured only through `KILN_*` as a user
 * would (metrics off, info logs, which carry the readiness line).
 *
 * @example
 * ```ts
 * const worker = await startWorkerProcess(kubernetesWorkerEnv({ servers, taskQueue, storeUrl, namespace, storeSecret, launcherImage: 'l:test' }), 240_000);
 * ```
 */
export function kubernetesWorkerEnv(setup: KubernetesWorkerSetup): Record<string, string> {
  const { servers } = setup;
  return {
    KILN_TEMPORAL_ADDRESS: servers.temporal.address,
    KILN_TEMPORAL_NAMESPACE: servers.temporal.namespace,
    KILN_TASK_QUEUE: setup.taskQueue,
    KILN_EXECUTOR: 'kubernetes',
    KILN_ARTIFACTS: setup.storeUrl,
    KILN_S3_ENDPOINT: servers.minio.endpoint,
    KILN_S3_ACCESS_KEY: servers.minio.accessKey,
    KILN_S3_SECRET_KEY: servers.minio.secretKey,
    KILN_KUBECONFIG: servers.kubernetes.kubeconfig,
    KILN_K8S_NAMESPACE: setup.namespace,
    KILN_K8S_LAUNCHER_IMAGE: setup.launcherImage,
    KILN_K8S_LAUNCHER_COMMAND: JSON.stringify(testClusterLauncherCommand()),
    KILN_K8S_STATIC_LAUNCHER_COMMAND: JSON.stringify(testClusterStaticLauncherCommand()),
    KILN_K8S_STORE_SECRET: setup.storeSecret,
    KILN_METRICS_PORT: '0',
    KILN_LOG_LEVEL: 'info',
  };
}
