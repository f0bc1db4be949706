/**
 * How many activities a worker runs at once when the configuration does not
 * say. Local steps are processes on the worker's own CPUs and memory: beyond
 * a few per CPU they only wait for each other (tools/bench/results/api-load.md:
 * on 2 CPUs, 8 and 100 concurrent no-op steps both did about 3.5 steps/s),
 * while real steps would each hold their memory. Kubernetes steps run
 * elsewhere and the worker only watches them.
 */
import { availableParallelism } from 'node:os';

/**
 * @example
 * ```ts
 * defaultActivityConcurrency('local');      // 4 × CPUs, at least 4
 * defaultActivityConcurrency('kubernetes'); // 100
 * ```
 */
export function defaultActivityConcurrency(
  executor: 'local' | 'kubernetes',
  cpus: number = availableParallelism(),
): number {
  return executor === 'kubernetes' ? 100 : Math.max(4, 4 * cpus);
}
