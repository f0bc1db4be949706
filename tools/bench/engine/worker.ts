/**
 * The benchmark's worker process (started by bench.ts, so its peak RSS can be read
 * from /proc/<pid>/status): the Kiln worker with the real local executor (default
 * launcher mode: in the worker's process) on one task queue and, optionally, the
 * hand-written baseline's worker on another and a Kiln worker whose launcher runs
 * as a child process per step (`launcherMode: 'process'`) on a third.
 *
 *   node --import tsx tools/bench/engine/worker.ts <address> <store-url> <kiln-queue> [hand-queue] [kiln-process-queue]
 *
 * `-` as the kiln queue leaves the Kiln worker out (a process serving only the hand-written workflows).
 * `KILN_BENCH_STACK_TRACES=true|false` flips the workflow sandbox's stack traces from each worker's default
 * (Kiln: off; the hand-written worker, a plain Temporal worker: on).
 * `KILN_BENCH_METRICS_ADDRESS=127.0.0.1:<port>` serves the Temporal Core runtime's Prometheus metrics there and,
 * with `KILN_BENCH_METRICS_FILE`, appends them to that file on SIGTERM (bench.ts sets the address when the file
 * is given: sticky-cache hits and misses, workflow tasks, activity tasks per worker process).
 * Prints `ready` on stdout once both workers poll; stops on SIGTERM.
 */
import { appendFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { openStore } from '@kiln/artifacts';
import { createLocalExecutorActivities } from '@kiln/local-executor';
import { createKilnWorker, withoutWorkflowStackTraces } from '@kiln/engine-worker';
import { handActivities } from './hand-activity';

const [address, storeUrl, kilnQueue, handQueue, kilnProcessQueue] = process.argv.slice(2);
if (!address || !storeUrl || !kilnQueue)
  throw new Error('usage: worker.ts <address> <store-url> <kiln-queue> [hand-queue] [kiln-process-queue]');
const metricsFile = process.env['KILN_BENCH_METRICS_FILE'];
const metricsAddress = process.env['KILN_BENCH_METRICS_ADDRESS'];
Runtime.install({
  logger: new DefaultLogger('WARN'),
  ...(metricsAddress && { telemetryOptions: { metrics: { prometheus: { bindAddress: metricsAddress } } } }),
});
const connection = await NativeConnection.connect({ address });
const store = openStore(storeUrl);
const workRoot = join(fileURLToPath(storeUrl), '..', 'work');
const stackTraces = process.env['KILN_BENCH_STACK_TRACES'];
const workers: Worker[] = [];
if (kilnQueue !== '-') {
  workers.push(
    await createKilnWorker({
      connection,
      taskQueue: kilnQueue,
      activities: createLocalExecutorActivities({ store, workRoot }),
      workflowStackTraces: stackTraces === 'true',
    }),
  );
}
if (kilnProcessQueue) {
  const activities = createLocalExecutorActivities({ store, workRoot, launcherMode: 'process' });
  workers.push(await createKilnWorker({ connection, taskQueue: kilnProcessQueue, activities }));
}
if (handQueue && handQueue !== '-') {
  const here = dirname(fileURLToPath(import.meta.url));
  const createHand = () =>
    Worker.create({
      connection,
      taskQueue: handQueue,
      workflowsPath: join(here, 'hand-workflow.ts'),
      activities: handActivities,
    });
  // Without stack traces the same way `createKilnWorker` leaves them out.
  workers.push(await (stackTraces === 'false' ? withoutWorkflowStackTraces(createHand) : createHand()));
}
const running = Promise.all(workers.map((w) => w.run()));
process.once('SIGTERM', () => {
  // The SDK's runtime drains its workers on SIGTERM too: shut down only those it has not reached yet.
  void saveMetrics().finally(() => workers.filter((w) => w.getState() === 'RUNNING').forEach((w) => w.shutdown()));
});
process.stdout.write('ready\n');
await running;
await connection.close();

/** The Core runtime's counters so far, appended to KILN_BENCH_METRICS_FILE with this process's pid. */
async function saveMetrics(): Promise<void> {
  if (!metricsFile || !metricsAddress) return;
  const text = await (await fetch(`http://${metricsAddress}/metrics`)).text();
  appendFileSync(metricsFile, `# pid ${process.pid}\n${text}`);
}
