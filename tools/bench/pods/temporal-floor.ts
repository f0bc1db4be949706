/**
 * The Temporal floor's worker side (see temporal-floor-workflow.ts): a plain Temporal worker, SDK
 * defaults (eager activity dispatch on, as Kiln's worker has it), whose one activity runs one pod the
 * way the client-node floor does.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { NativeConnection, Worker } from '@temporalio/worker';
import { runFloorPod } from './floor';

export interface TemporalFloorActivities {
  runPod(prefix: string, name: string): Promise<void>;
}

/**
 * Starts the worker on `taskQueue`; returns its run promise and a stop.
 *
 * @example
 * ```ts
 * const floor = await startTemporalFloorWorker({ address: '127.0.0.1:7233', namespace: 'default', taskQueue: 'q', kc, kubeNamespace: 'kiln-test', image: 'alpine:3.20' });
 * await floor.stop();
 * ```
 */
export async function startTemporalFloorWorker(o: {
  address: string;
  namespace: string;
  taskQueue: string;
  kc: KubeConfig;
  kubeNamespace: string;
  image: string;
}): Promise<{ stop: () => Promise<void> }> {
  const core = o.kc.makeApiClient(CoreV1Api);
  const activities: TemporalFloorActivities = {
    runPod: (prefix, name) => runFloorPod({ kc: o.kc, namespace: o.kubeNamespace, prefix, image: o.image }, name, core),
  };
  const connection = await NativeConnection.connect({ address: o.address });
  const worker = await Worker.create({
    connection,
    namespace: o.namespace,
    taskQueue: o.taskQueue,
    workflowsPath: join(dirname(fileURLToPath(import.meta.url)), 'temporal-floor-workflow.ts'),
    activities,
  });
  const running = worker.run();
  return {
    async stop() {
      worker.shutdown();
      await running;
      await connection.close();
    },
  };
}
