/**
 * The Kiln worker: hosts the interpreter workflow and the executors'
 * activities, configured from the environment and an optional file, with
 * Prometheus metrics and structured logs. `main.ts` is the process;
 * `startWorker` is the same thing for embedding (`kiln dev`, tests, benches).
 *
 * @example
 * ```ts
 * import { loadWorkerConfig, createLogger, startWorker } from './index';
 * const config = loadWorkerConfig({ KILN_TEMPORAL_ADDRESS: '127.0.0.1:7233', KILN_METRICS_PORT: '0' });
 * const running = await startWorker(config, { log: createLogger('info') });
 * await running.shutdown();
 * ```
 *
 * @packageDocumentation
 */
export { loadWorkerConfig } from './config/load';
export { workerConfigSchema, workerSettingSources, type WorkerConfig } from './config/schema';
export { ConfigError, loadSettings, type ConfigProblem, type SettingSource } from '@kiln/config';
export { temporalConnectionOptions, type TemporalConnectionOptions } from '@kiln/config';
export { createLogger, redactPaths } from './logger';
export { createWorkerMetrics, type WorkerMetrics } from './metrics/registry';
export { instrumentActivities } from './metrics/instrument';
export { serveMetrics, type MetricsServer } from './metrics/server';
export { startWorker, type RunningWorker, type StartWorkerOptions } from './run-worker';
export { installRuntime } from './runtime';
export { loadWorkflowBundle } from './bundle';
