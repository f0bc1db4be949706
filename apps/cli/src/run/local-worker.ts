/**
 * A Kiln worker with the local executor inside the CLI's own process, for
 * `kiln run` on the embedded server and for `kiln dev`: steps run as local
 * processes, artifacts go to the store at `storeUrl`.
 */
import { openStore } from '@kiln/artifacts';
import { createKilnWorker } from '@kiln/engine-worker';
import { createLocalExecutorActivities } from '@kiln/local-executor';
import { DefaultLogger, NativeConnection, Runtime, type LogLevel } from '@temporalio/worker';

export interface LocalWorker {
  /** Settles when the worker stops (rejects when it fails). */
  done: Promise<void>;
  /** Shuts the worker down (in-flight steps end) and closes its connection; safe to call twice. */
  stop(): Promise<void>;
}

/**
 * @example
 * ```ts
 * const worker = await startLocalWorker({ address: '127.0.0.1:7233', namespace: 'default', taskQueue: 'kiln', storeUrl, logLevel: 'WARN' });
 * // ... runs on task queue kiln ...
 * await worker.stop();
 * ```
 */
export async function startLocalWorker(options: {
  address: string;
  namespace: string;
  taskQueue: string;
  storeUrl: string;
  /** Temporal's own log lines at this level and above. */
  logLevel: LogLevel;
  /** Folders `file:` importers may read outside the store. Default: the folder the CLI runs in (the project). */
  importRoots?: readonly string[];
}): Promise<LocalWorker> {
  Runtime.install({ logger: new DefaultLogger(options.logLevel) });
  const connection = await NativeConnection.connect({ address: options.address });
  try {
    const worker = await createKilnWorker({
      connection,
      namespace: options.namespace,
      taskQueue: options.taskQueue,
      activities: createLocalExecutorActivities({
        store: openStore(options.storeUrl),
        importRoots: options.importRoots ?? [process.cwd()],
      }),
    });
    const done = worker.run();
    return {
      done,
      async stop() {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await done.catch(() => undefined);
        await connection.close();
      },
    };
  } catch (error) {
    await connection.close();
    throw error;
  }
}
