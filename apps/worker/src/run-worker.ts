/**
 * Starting the worker from its configuration: connection, store, executor
 * activities (counted for metrics), workflow bundle, metrics endpoint.
 */
import { openStore, type ArtifactStore } from '@kiln/artifacts';
import { createKilnWorker } from '@kiln/engine-worker';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { Logger } from 'pino';
import { createWorkerActivities } from './activities';
import { loadWorkflowBundle } from './bundle';
import type { WorkerConfig } from './config/schema';
import { temporalConnectionOptions } from '@kiln/config';
import { instrumentActivities } from './metrics/instrument';
import { createWorkerMetrics, type WorkerMetrics } from './metrics/registry';
import { serveMetrics, type MetricsServer } from './metrics/server';

export interface RunningWorker {
  worker: Worker;
  metrics: WorkerMetrics;
  /** The metrics server, when `metrics.port` is not 0. */
  metricsServer?: MetricsServer;
  /** Settles when the worker has stopped (after `shutdown`, or on a fatal error). */
  done: Promise<void>;
  /**
   * Graceful stop: no new tasks are polled, running activities get their
   * cancellation (the Kubernetes executor leaves pods running so the next
   * attempt reattaches), then connections and the metrics server close.
   */
  shutdown(): Promise<void>;
}

export interface StartWorkerOptions {
  log: Logger;
  /** Defaults to `openStore(config.store.url)`. */
  store?: ArtifactStore;
  /** Temporal identity (tests). */
  identity?: string;
}

/**
 * @example
 * ```ts
 * const running = await startWorker(loadWorkerConfig(), { log: createLogger('info') });
 * process.once('SIGTERM', () => void running.shutdown());
 * await running.done;
 * ```
 */
export async function startWorker(config: WorkerConfig, options: StartWorkerOptions): Promise<RunningWorker> {
  const { log } = options;
  const store = options.store ?? openStore(config.store.url);
  const metrics = createWorkerMetrics();
  const activities = instrumentActivities(await createWorkerActivities(config, store, log), metrics);
  const workflowBundle = await loadWorkflowBundle(config.workflowBundle);
  const connection = await NativeConnection.connect(temporalConnectionOptions(config.temporal));
  let worker: Worker;
  try {
    worker = await createKilnWorker({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      activities,
      workflowBundle,
      maxCachedWorkflows: config.concurrency.maxCachedWorkflows,
      maxConcurrentActivityTaskExecutions: config.concurrency.maxConcurrentActivityTaskExecutions,
      eagerActivities: config.concurrency.eagerActivities,
      workflowStackTraces: config.workflowStackTraces,
      ...(options.identity ? { identity: options.identity } : {}),
    });
  } catch (error) {
    await connection.close();
    throw error;
  }
  metrics.observeWorker(worker);
  const metricsServer =
    config.metrics.port > 0
      ? await serveMetrics(metrics.registry, config.metrics.port, config.metrics.host)
      : undefined;

  const done = worker.run().finally(async () => {
    await metricsServer?.close();
    await connection.close();
  });
  log.info(
    {
      temporal: {
        address: config.temporal.address,
        namespace: config.temporal.namespace,
        taskQueue: config.temporal.taskQueue,
      },
      executor: config.executor,
      store: store.url,
      concurrency: config.concurrency,
      metricsPort: metricsServer?.port,
    },
    'kiln worker running',
  );
  let stopping: Promise<void> | undefined;
  return {
    worker,
    metrics,
    ...(metricsServer ? { metricsServer } : {}),
    done,
    shutdown() {
      stopping ??= (async () => {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await done;
      })();
      return stopping;
    },
  };
}
