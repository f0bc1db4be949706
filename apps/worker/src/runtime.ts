/**
 * Temporal's Core runtime, installed once per process: its logs go through
 * pino, and its own Prometheus exporter (worker internals: poll latencies,
 * slots, sticky cache) is switched on when a port is configured.
 */
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from 'pino';

let installed = false;

/**
 * Installs the runtime unless something in this process already did (tests
 * start several workers; `Runtime.install` may only run once).
 *
 * @example
 * ```ts
 * installRuntime(log, { level: 'info', temporalMetricsPort: 9465 });
 * ```
 */
export function installRuntime(
  log: Logger,
  options: { level: string; temporalMetricsPort?: number; metricsHost?: string },
): boolean {
  if (installed) return false;
  installed = true;
  const level: LogLevel = toTemporalLevel(options.level);
  try {
    Runtime.install({
      logger: new DefaultLogger(level, (entry) => {
        const meta = entry.meta ?? {};
        const method =
          entry.level === 'ERROR'
            ? 'error'
            : entry.level === 'WARN'
              ? 'warn'
              : entry.level === 'INFO'
                ? 'info'
                : 'debug';
        log[method]({ temporal: true, ...meta }, entry.message);
      }),
      ...(options.temporalMetricsPort
        ? {
            telemetryOptions: {
              metrics: {
                prometheus: { bindAddress: `${options.metricsHost ?? '0.0.0.0'}:${options.temporalMetricsPort}` },
              },
            },
          }
        : {}),
    });
    return true;
  } catch (error) {
    // Already installed implicitly (a connection was made first): keep the default runtime.
    log.warn({ err: error }, 'Temporal runtime was already installed; using it as it is');
    return false;
  }
}

function toTemporalLevel(level: string): LogLevel {
  switch (level) {
    case 'trace':
      return 'TRACE';
    case 'debug':
      return 'DEBUG';
    case 'info':
      return 'INFO';
    case 'warn':
      return 'WARN';
    default:
      return 'ERROR';
  }
}
