/**
 * A Kiln worker with the REAL local executor, as its own process, for fault tests that kill it.
 * Environment: KILN_FAULT_ADDRESS, KILN_FAULT_NAMESPACE, KILN_FAULT_TASK_QUEUE, KILN_FAULT_STORE,
 * KILN_FAULT_WORK. Prints `ready` on stdout once polling.
 */
import { createLocalExecutorActivities } from '@kiln/local-executor';
import { openStore } from '@kiln/artifacts';
import { createKilnWorker } from '@kiln/engine-worker';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';

async function main(): Promise<void> {
  const env = (name: string) => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set`);
    return value;
  };
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const store = openStore(env('KILN_FAULT_STORE'));
  const connection = await NativeConnection.connect({ address: env('KILN_FAULT_ADDRESS') });
  const worker = await createKilnWorker({
    connection,
    namespace: env('KILN_FAULT_NAMESPACE'),
    taskQueue: env('KILN_FAULT_TASK_QUEUE'),
    activities: createLocalExecutorActivities({ store, workRoot: env('KILN_FAULT_WORK'), heartbeatMs: 1000 }),
  });
  const running = worker.run();
  process.stdout.write('ready\n');
  process.on('SIGTERM', () => worker.shutdown());
  await running;
  await connection.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`worker-process: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
