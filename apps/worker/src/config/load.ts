/** Loading the worker's configuration at start. */
import { defaultStoreUrl } from '@kiln/artifacts';
import { defaultActivityConcurrency } from './concurrency';
import { loadSettings } from '@kiln/config';
import { workerConfigSchema, workerSettingSources, type WorkerConfig } from './schema';

/**
 * The worker's configuration from `env` and the file named by `KILN_CONFIG`,
 * with the defaults that depend on other settings or the environment filled in.
 *
 * @throws {ConfigError} naming each invalid setting.
 * @example
 * ```ts
 * const config = loadWorkerConfig(process.env);
 * console.log(config.temporal.address, config.executor);
 * ```
 */
export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const config = loadSettings(workerConfigSchema, workerSettingSources, { env, fileVariable: 'KILN_CONFIG' });
  return {
    ...config,
    store: { url: config.store.url ?? defaultStoreUrl(env) },
    concurrency: {
      maxCachedWorkflows: config.concurrency.maxCachedWorkflows,
      eagerActivities: config.concurrency.eagerActivities,
      maxConcurrentActivityTaskExecutions:
        config.concurrency.maxConcurrentActivityTaskExecutions ?? defaultActivityConcurrency(config.executor),
    },
  };
}
