/**
 * A Kiln worker in its own process, so a test can kill it with SIGKILL: the
 * engine's workflows plus the store-backed activities and the Kubernetes
 * executor's runStep, exactly as apps/worker composes them. Run with
 * `node --import tsx worker-process.ts`; settings arrive as JSON in
 * KILN_TEST_WORKER. Prints "ready" once polling.
 */
import { readFileSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createLocalExecutorActivities } from '@kiln/local-executor';
import { openStore } from '@kiln/artifacts';
import { createKilnWorker } from '@kiln/engine-worker';
import { createK8sActivities } from '../../src';

export interface TestWorkerSettings {
  address: string;
  namespace: string;
  taskQueue: string;
  bundlePath: string;
  kubeconfig: string;
  k8sNamespace: string;
  storeUrl: string;
  launcherCommand: string[];
  launcherEnv: Record<string, string>;
}

async function main(): Promise<void> {
  const s = JSON.parse(process.env['KILN_TEST_WORKER'] ?? '{}') as TestWorkerSettings;
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const store = openStore(s.storeUrl);
  const kube = new KubeConfig();
  kube.loadFromFile(s.kubeconfig);
  const k8s = createK8sActivities({
    kube,
    namespace: s.k8sNamespace,
    store,
    launcherImage: 'ghcr.io/kiln-dev/kiln-launcher:test',
    pod: { launcherCommand: s.launcherCommand, launcherEnv: s.launcherEnv, terminationGracePeriodSeconds: 5 },
    cleanup: { deleteSucceeded: false },
    heartbeatMs: 1_000,
    collectEveryMs: 0,
  });
  const worker = await createKilnWorker({
    connection: await NativeConnection.connect({ address: s.address }),
    namespace: s.namespace,
    taskQueue: s.taskQueue,
    workflowBundle: { code: readFileSync(s.bundlePath, 'utf8') },
    activities: { ...createLocalExecutorActivities({ store }), runStep: k8s.runStep },
  });
  const running = worker.run();
  process.stdout.write('ready\n');
  await running;
}

main().catch((error: unknown) => {
  process.stderr.write(`test worker failed: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
});
