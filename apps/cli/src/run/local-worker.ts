/**
 * A Kiln worker with the local executor inside the CLI's own process, for
 * `kiln run` on the embedded server and for `kiln dev`: steps run as local
 * processes, artifacts go to the store at `storeUrl`.
 */
import { openStore } from '@kiln/artifacts';
import { boolean } from '@kiln/config';
import { createKilnWorker } from '@kiln/engine-worker';
import { createLocalExecutorActivities } from '@kiln/local-executor';
import { DefaultLogger, NativeConnection, Runtime, type LogEntry, type LogLevel } from '@temporalio/worker';
import { createWriteStream, type WriteStream } from 'node:fs';
import { CliError } from '../errors';

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
  /**
   * Where the worker's and Temporal SDK's log lines go (appended); on stderr when absent. A failed
   * attempt's SDK warning is a block of stack traces: `kiln run` prints its own line per attempt
   * and keeps these in a file.
   */
  logFile?: string;
  /** `KILN_WORKFLOW_STACK_TRACES` as the worker app reads it (see `createKilnWorker`'s `workflowStackTraces`). */
  env?: NodeJS.ProcessEnv;
}): Promise<LocalWorker> {
  const workflowStackTraces = stackTracesSetting(options.env ?? process.env);
  const file = options.logFile ? createWriteStream(options.logFile, { flags: 'a' }) : undefined;
  Runtime.install({
    logger: file
      ? new DefaultLogger(options.logLevel, (entry) => writeEntry(file, entry))
      : new DefaultLogger(options.logLevel),
  });
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
      workflowStackTraces,
    });
    const done = worker.run();
    return {
      done,
      async stop() {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await done.catch(() => undefined);
        await connection.close();
        file?.end();
      },
    };
  } catch (error) {
    await connection.close();
    file?.end();
    throw error;
  }
}

/** The worker app's setting of the same name, read the same way, so a typo is refused rather than ignored. */
function stackTracesSetting(env: NodeJS.ProcessEnv): boolean {
  const given = env['KILN_WORKFLOW_STACK_TRACES'];
  if (given === undefined || given === '') return false;
  const parsed = boolean.safeParse(given);
  if (!parsed.success) throw new CliError(`KILN_WORKFLOW_STACK_TRACES: expected true or false, got "${given}"`);
  return parsed.data;
}

/** One log entry as one line: time, level, message and its attributes (a stack trace stays in them, escaped). */
function writeEntry(file: WriteStream, entry: LogEntry): void {
  const at = new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString();
  const meta = entry.meta && Object.keys(entry.meta).length ? ` ${safeJson(entry.meta)}` : '';
  file.write(`${at} ${entry.level} ${entry.message}${meta}\n`);
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, v: unknown) =>
      v instanceof Error ? { name: v.name, message: v.message, stack: v.stack } : typeof v === 'bigint' ? String(v) : v,
    );
  } catch {
    return String(value);
  }
}
