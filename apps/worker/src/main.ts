/**
 * The Kiln worker process:
 *
 *   node --import tsx apps/worker/src/main.ts
 *
 * Configuration comes from `KILN_*` environment variables and the optional
 * file named by `KILN_CONFIG` (see docs/api.md, "Worker configuration").
 * SIGTERM/SIGINT stop it gracefully; a second signal exits at once.
 */
import { ConfigError } from '@kiln/config';
import { loadWorkerConfig } from './config/load';
import { createLogger } from './logger';
import { startWorker } from './run-worker';
import { installRuntime } from './runtime';

let config;
try {
  config = loadWorkerConfig(process.env);
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`kiln worker: invalid configuration\n${error.message}\n`);
    process.exit(2);
  }
  throw error;
}
const log = createLogger(config.log.level);
installRuntime(log, {
  level: config.log.level,
  metricsHost: config.metrics.host,
  ...(config.metrics.temporalPort ? { temporalMetricsPort: config.metrics.temporalPort } : {}),
});

try {
  const running = await startWorker(config, { log });
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (signals > 1) {
      log.warn({ signal }, 'second signal: exiting without waiting for activities');
      process.exit(130);
    }
    log.info({ signal }, 'shutting down: finishing in-flight tasks; step pods keep running for reattachment');
    void running.shutdown();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  await running.done;
  log.info('kiln worker stopped');
} catch (error) {
  if (error instanceof ConfigError) {
    log.fatal({ problems: error.problems }, 'invalid configuration');
    process.stderr.write(`kiln worker: invalid configuration\n${error.message}\n`);
    process.exit(2);
  }
  log.fatal({ err: error }, 'kiln worker failed');
  process.exit(1);
}
