/**
 * The worker's Prometheus metrics: Node process metrics, the Temporal worker's
 * own view (in-flight activities, cached workflows) and Kiln's step counters.
 */
import type { Worker } from '@temporalio/worker';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface WorkerMetrics {
  registry: Registry;
  stepsStarted: Counter<'executor'>;
  stepsSucceeded: Counter<'executor'>;
  /** `failure_type`: KilnUserError, KilnInfrastructureError, KilnConfigurationError, cancelled, other. */
  stepsFailed: Counter<'executor' | 'failure_type'>;
  stepDuration: Histogram<'executor' | 'outcome'>;
  cacheLookups: Counter<'result'>;
  runsFinished: Counter<'state'>;
  /** Lets the worker gauges read the live worker once it exists. */
  observeWorker(worker: Worker): void;
}

/**
 * A fresh registry (one per worker, so tests can run several).
 *
 * @example
 * ```ts
 * const metrics = createWorkerMetrics();
 * metrics.stepsStarted.inc({ executor: 'local' });
 * console.log(await metrics.registry.metrics());
 * ```
 */
export function createWorkerMetrics(): WorkerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  let worker: Worker | undefined;
  const status = () => worker?.getStatus();
  new Gauge({
    name: 'kiln_worker_in_flight_activities',
    help: 'Activities (steps and store calls) this worker is running now.',
    registers: [registry],
    collect() {
      this.set(status()?.numInFlightActivities ?? 0);
    },
  });
  new Gauge({
    name: 'kiln_worker_cached_workflows',
    help: "Workflow executions cached in this worker's memory.",
    registers: [registry],
    collect() {
      this.set(status()?.numCachedWorkflows ?? 0);
    },
  });
  new Gauge({
    name: 'kiln_worker_running',
    help: '1 while the Temporal worker is RUNNING, 0 otherwise (starting, draining, stopped).',
    registers: [registry],
    collect() {
      this.set(worker?.getState() === 'RUNNING' ? 1 : 0);
    },
  });
  return {
    registry,
    stepsStarted: new Counter({
      name: 'kiln_steps_started_total',
      help: 'Step attempts started.',
      labelNames: ['executor'],
      registers: [registry],
    }),
    stepsSucceeded: new Counter({
      name: 'kiln_steps_succeeded_total',
      help: 'Step attempts that succeeded.',
      labelNames: ['executor'],
      registers: [registry],
    }),
    stepsFailed: new Counter({
      name: 'kiln_steps_failed_total',
      help: 'Step attempts that failed, by failure type.',
      labelNames: ['executor', 'failure_type'],
      registers: [registry],
    }),
    stepDuration: new Histogram({
      name: 'kiln_step_duration_seconds',
      help: 'Wall time of one step attempt in the worker, launcher start to result.',
      labelNames: ['executor', 'outcome'],
      buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
      registers: [registry],
    }),
    cacheLookups: new Counter({
      name: 'kiln_cache_lookups_total',
      help: 'Step cache lookups by result.',
      labelNames: ['result'],
      registers: [registry],
    }),
    runsFinished: new Counter({
      name: 'kiln_runs_finished_total',
      help: 'Runs whose record this worker saved, by final state.',
      labelNames: ['state'],
      registers: [registry],
    }),
    observeWorker(w) {
      worker = w;
    },
  };
}
