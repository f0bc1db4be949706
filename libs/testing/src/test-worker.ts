/**
 * A Kiln worker in the test's own process, on tools/testenv's Temporal: the
 * real local executor, and when asked the real Kubernetes executor on
 * tools/testenv's kube-apiserver and node agent. Tests of the API, the client
 * and the CLI start one here instead of importing the executors themselves,
 * so their projects depend on no executor library.
 */
import { tmpdir } from 'node:os';
import type { ArtifactStore } from '@kiln/artifacts';
import type { KilnActivities } from '@kiln/engine-contract';
import { createKilnWorker } from '@kiln/engine-worker';
import { createK8sActivities } from '@kiln/k8s-activities';
import { createLocalExecutorActivities } from '@kiln/local-executor';
import { getTestEnvironment } from '@kiln/testenv';
import type { KubeConfig } from '@kubernetes/client-node';
import { NativeConnection, type LogLevel } from '@temporalio/worker';
import { testClusterLauncherCommand, testClusterStaticLauncherCommand } from './processes';
import { installTestRuntime } from './runtime';

export interface TestWorkerOptions {
  taskQueue: string;
  /** The artifact store the steps read and write (the API's, in API tests). */
  store: ArtifactStore;
  /** Where the local executor makes each step's work folder. */
  workRoot: string;
  /**
   * Run `executor: 'kubernetes'` steps as pods in `namespace` of the cluster
   * `kubeconfig` points at (tools/testenv's); other steps stay local.
   */
  kubernetes?: {
    kubeconfig: KubeConfig;
    namespace: string;
    /** A Secret with the store's credentials (`KILN_S3_*`) for the pods' launcher containers, when the store is S3. */
    storeSecret?: string;
  };
  /** Step attempts the worker runs at once (Temporal's default when left out). */
  maxConcurrentActivityTaskExecutions?: number;
  /** Temporal's own log lines at this level and above (default WARN). */
  logLevel?: LogLevel;
}

export interface TestWorker {
  taskQueue: string;
  /** Shuts the worker down (in-flight steps end) and closes its connection. */
  stop(): Promise<void>;
}

/** The Kubernetes executor with short timers, so pod tests finish in seconds. */
function podActivities(store: ArtifactStore, kubernetes: NonNullable<TestWorkerOptions['kubernetes']>) {
  return createK8sActivities({
    kube: kubernetes.kubeconfig,
    namespace: kubernetes.namespace,
    store,
    launcherImage: 'ghcr.io/kiln/launcher:test',
    // The node agent runs containers as local processes and ignores images: the launcher runs from this
    // checkout, bundled once into the cache (Node starts it without tsx, as the launcher image does).
    pod: {
      launcherCommand: testClusterLauncherCommand(),
      staticLauncherCommand: testClusterStaticLauncherCommand(),
      terminationGracePeriodSeconds: 5,
      ...(kubernetes.storeSecret && { storeSecret: kubernetes.storeSecret }),
    },
    heartbeatMs: 1000,
    cancelGracePeriodSeconds: 2,
    collectEveryMs: 0,
    watch: { timeoutSeconds: 20, inactivityMs: 30_000, pollMs: 3_000 },
    log: { info: () => undefined, warn: () => undefined, debug: () => undefined },
  });
}

/**
 * Starts a worker on `taskQueue`; `stop()` it in `afterAll`.
 *
 * @example
 * ```ts
 * const worker = await startTestWorker({ taskQueue, store, workRoot: join(dir, 'work') });
 * // ... start runs on taskQueue ...
 * await worker.stop();
 * ```
 */
export async function startTestWorker(options: TestWorkerOptions): Promise<TestWorker> {
  installTestRuntime(options.logLevel ?? 'WARN');
  const temporal = getTestEnvironment(['temporal']).temporal;
  const local = createLocalExecutorActivities({
    store: options.store,
    workRoot: options.workRoot,
    heartbeatMs: 1000,
    graceMs: 2000,
    // Tests import files they wrote into the temp folder (a deployed worker allows no folder by default).
    importRoots: [tmpdir()],
  });
  let activities: KilnActivities = local;
  if (options.kubernetes) {
    const pods = podActivities(options.store, options.kubernetes);
    activities = {
      ...local,
      runStep: (req) => (req.executor === 'kubernetes' ? pods.runStep(req) : local.runStep(req)),
    };
  }
  const connection = await NativeConnection.connect({ address: temporal.address });
  const worker = await createKilnWorker({
    connection,
    namespace: temporal.namespace,
    taskQueue: options.taskQueue,
    activities,
    ...(options.maxConcurrentActivityTaskExecutions !== undefined && {
      maxConcurrentActivityTaskExecutions: options.maxConcurrentActivityTaskExecutions,
    }),
  });
  const running = worker.run();
  return {
    taskQueue: options.taskQueue,
    async stop() {
      worker.shutdown();
      await running;
      await connection.close();
    },
  };
}
