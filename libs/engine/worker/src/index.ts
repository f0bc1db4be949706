/**
 * `@kiln/engine-worker`: the Kiln worker factory. Bundles `@kiln/engine-workflows`
 * (once per process, or from a prebuilt file) and registers an executor's
 * activities next to it on one task queue. Node-only.
 *
 * @example
 * ```ts
 * import { NativeConnection } from '@temporalio/worker';
 * import { createKilnWorker } from '@kiln/engine-worker';
 *
 * const connection = await NativeConnection.connect({ address: '127.0.0.1:7233' });
 * const worker = await createKilnWorker({ connection, taskQueue: 'kiln', activities });
 * await worker.run();
 * ```
 *
 * @packageDocumentation
 */
export {
  createKilnWorker,
  kilnWorkflowBundle,
  kilnWorkflowsPath,
  processStackTraceLimit,
  withoutWorkflowStackTraces,
  type KilnWorkerOptions,
} from './create-worker';
