/**
 * `kiln dev --executor kubernetes`: the pod path on this checkout's test servers
 * without wiring variables by hand. tools/testenv's Temporal, MinIO and
 * kube-apiserver + node agent (reused from `KILN_TESTENV`, else brought up with
 * `tools/testenv/up`), a Secret with the store's credentials for the launcher
 * containers, and a Kubernetes worker (apps/worker, configured by environment as
 * it is deployed) that runs each step as a pod.
 */
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { podLauncherBundleCommand, staticLauncherHostCommand } from '@kiln/k8s-activities';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { CliError } from '../errors';

const testServersSchema = z.object({
  temporal: z.object({ address: z.string(), namespace: z.string(), ui: z.string() }),
  minio: z.object({ endpoint: z.string(), accessKey: z.string(), secretKey: z.string(), bucket: z.string() }),
  kubernetes: z.object({ kubeconfig: z.string(), namespace: z.string() }),
});

/** Where tools/testenv's servers are. */
export type TestServers = z.infer<typeof testServersSchema>;

/** The Kubernetes side of `kiln dev`: its servers, store, worker process; `stop()` removes what it made. */
export interface TestCluster {
  servers: TestServers;
  taskQueue: string;
  storeUrl: string;
  storeSecret: string;
  /** The S3 settings of the store, for the API and `kiln run`. */
  s3Env: Record<string, string>;
  /** Resolves when the worker process exits, with its exit code. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** The checkout's root (where tools/testenv and apps/worker live), found from the CLI or the working directory. */
function checkoutRoot(): string {
  const marker = join('tools', 'testenv', 'up');
  const starts = [...(process.argv[1] ? [dirname(resolve(process.argv[1]))] : []), process.cwd()];
  for (const start of starts) {
    for (let dir = start; ; dir = dirname(dir)) {
      if (existsSync(join(dir, marker))) return dir;
      if (dirname(dir) === dir) break;
    }
  }
  throw new CliError(
    `cannot find ${marker} above ${starts.join(' or ')}: kiln dev --executor kubernetes runs from a Kiln checkout`,
  );
}

/** `KILN_TESTENV`'s servers, or those `tools/testenv/up` starts (or finds running). */
export async function testServers(say: (line: string) => void): Promise<TestServers> {
  const fromEnv = process.env['KILN_TESTENV'];
  if (fromEnv) return parseServers(fromEnv, 'KILN_TESTENV');
  say('kiln dev: bringing up the test servers (tools/testenv/up temporal minio kubernetes; minutes on first use)');
  const root = checkoutRoot();
  const stdout = await new Promise<string>((done, fail) => {
    const child = execFile(
      join(root, 'tools', 'testenv', 'up'),
      ['temporal', 'minio', 'kubernetes'],
      { cwd: root, maxBuffer: 1 << 20 },
      (error, out) => (error ? fail(new CliError(`tools/testenv/up failed: ${error.message}`)) : done(out)),
    );
    child.stderr?.on('data', (chunk: Buffer) => chunk.toString().split('\n').filter(Boolean).forEach(say));
  });
  return parseServers(stdout, 'tools/testenv/up');
}

function parseServers(json: string, source: string): TestServers {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new CliError(`${source} is not JSON: ${json.slice(0, 200)}`);
  }
  const parsed = testServersSchema.safeParse(value);
  if (!parsed.success) {
    const missing = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw new CliError(
      `${source} lacks what the Kubernetes executor needs (${missing}); bring it up with tools/testenv/up temporal minio kubernetes`,
    );
  }
  return parsed.data;
}

/**
 * Creates the store Secret and starts the Kubernetes worker on `taskQueue`; waits until it polls.
 *
 * @example
 * ```ts
 * const cluster = await startTestCluster(await testServers(say), 'kiln', say);
 * // kiln run --executor kubernetes on cluster.servers.temporal.address, task queue kiln: steps are pods
 * await cluster.stop();
 * ```
 */
export async function startTestCluster(
  servers: TestServers,
  taskQueue: string,
  say: (line: string) => void,
): Promise<TestCluster> {
  const suffix = `${process.pid}-${Date.now().toString(36)}`;
  const storeUrl = `s3://${servers.minio.bucket}/kiln-dev-${suffix}`;
  const storeSecret = `kiln-dev-store-${suffix}`;
  const s3Env = {
    KILN_S3_ENDPOINT: servers.minio.endpoint,
    KILN_S3_ACCESS_KEY: servers.minio.accessKey,
    KILN_S3_SECRET_KEY: servers.minio.secretKey,
  };
  const kc = new KubeConfig();
  kc.loadFromFile(servers.kubernetes.kubeconfig);
  const core = kc.makeApiClient(CoreV1Api);
  const namespace = servers.kubernetes.namespace;
  await core.createNamespacedSecret({ namespace, body: { metadata: { name: storeSecret }, stringData: s3Env } });
  const deleteSecret = () =>
    core.deleteNamespacedSecret({ namespace, name: storeSecret }).then(
      () => undefined,
      () => undefined,
    );
  try {
    const worker = await startKubernetesWorker(
      {
        KILN_TEMPORAL_ADDRESS: servers.temporal.address,
        KILN_TEMPORAL_NAMESPACE: servers.temporal.namespace,
        KILN_TASK_QUEUE: taskQueue,
        KILN_EXECUTOR: 'kubernetes',
        KILN_ARTIFACTS: storeUrl,
        ...s3Env,
        KILN_KUBECONFIG: servers.kubernetes.kubeconfig,
        KILN_K8S_NAMESPACE: namespace,
        // The test cluster's node agent runs containers as host processes and ignores images: the launcher
        // containers run this checkout's in-pod launcher bundle, as the launcher image would.
        KILN_K8S_LAUNCHER_IMAGE: 'ghcr.io/kiln-dev/kiln-launcher:dev',
        KILN_K8S_LAUNCHER_COMMAND: JSON.stringify(podLauncherBundleCommand()),
        // Steps without artifacts run the static launcher (apps/static-launcher), built from this checkout.
        KILN_K8S_STATIC_LAUNCHER_COMMAND: JSON.stringify(staticLauncherHostCommand()),
        KILN_K8S_STORE_SECRET: storeSecret,
        KILN_METRICS_PORT: '0',
        KILN_LOG_LEVEL: 'info',
      },
      say,
    );
    return {
      servers,
      taskQueue,
      storeUrl,
      storeSecret,
      s3Env,
      exited: worker.exited,
      async stop() {
        await worker.stop();
        await deleteSecret();
      },
    };
  } catch (error) {
    await deleteSecret();
    throw error;
  }
}

/** apps/worker as deployed (its own main and config), in its own process group; ready at its "kiln worker running" line. */
async function startKubernetesWorker(
  env: Record<string, string>,
  say: (line: string) => void,
): Promise<{ exited: Promise<number | null>; stop(): Promise<void> }> {
  const root = checkoutRoot();
  // The same Node flags as this process: under bin/kiln that is tsx's loader, which runs the worker's TypeScript.
  const child: ChildProcess = spawn(
    process.execPath,
    [...process.execArgv, join(root, 'apps', 'worker', 'src', 'main.ts')],
    {
      cwd: root,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    },
  );
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const stop = async () => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    process.kill(-child.pid, 'SIGTERM');
    const timer = setTimeout(() => child.pid !== undefined && process.kill(-child.pid, 'SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  };
  let output = '';
  let running = false;
  await new Promise<void>((ready, fail) => {
    const timer = setTimeout(
      () => fail(new CliError(`the Kubernetes worker did not start in 5 minutes:\n${output.slice(-4000)}`)),
      300_000,
    );
    // Read for the worker's whole life (a full pipe would stall it); its errors are shown, the rest kept until it runs.
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      for (const line of text.split('\n')) if (line.includes('"level":"error"')) say(`worker | ${line}`);
      if (running) return;
      output += text;
      if (output.includes('"msg":"kiln worker running"')) {
        running = true;
        output = '';
        clearTimeout(timer);
        ready();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      if (!running)
        fail(new CliError(`the Kubernetes worker exited (${code}) before running:\n${output.slice(-4000)}`));
    });
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  return { exited, stop };
}
