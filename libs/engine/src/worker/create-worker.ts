/**
 * The Kiln worker: the interpreter workflows plus an executor's activities on one
 * task queue. Node-only (not workflow code).
 */
import { bundleWorkflowCode, Worker, type NativeConnection, type WorkflowBundle } from '@temporalio/worker';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { KilnActivities } from '../activities';

export interface KilnWorkerOptions {
  connection: NativeConnection;
  taskQueue: string;
  /** The executor's activities, e.g. `createLocalExecutorActivities({ store })`. */
  activities: KilnActivities;
  namespace?: string;
  /** A prebuilt bundle (`bundleWorkflowCode` output, e.g. from a file); built once per process otherwise. */
  workflowBundle?: WorkflowBundle;
  /** Workflows kept in memory between tasks (default 200). */
  maxCachedWorkflows?: number;
  /** Steps run concurrently by this worker (default 100). */
  maxConcurrentActivityTaskExecutions?: number;
  /** For tests: the worker's identity in Temporal. */
  identity?: string;
}

/**
 * Where the workflow bundle's entry lives. Found from the workspace (this code
 * runs as ESM under tsx and as CJS under jest, which locate themselves
 * differently); override with `KILN_WORKFLOWS_PATH`.
 */
export function kilnWorkflowsPath(): string {
  const fromEnv = process.env['KILN_WORKFLOWS_PATH'];
  if (fromEnv) return fromEnv;
  const relative = join('libs', 'engine', 'src', 'workflows', 'index.ts');
  const starts = [process.cwd(), ...(process.argv[1] ? [dirname(resolve(process.argv[1]))] : [])];
  for (const start of starts) {
    for (let dir = start; ; dir = dirname(dir)) {
      if (existsSync(join(dir, relative))) return join(dir, relative);
      if (dirname(dir) === dir) break;
    }
  }
  throw new Error(`Cannot find ${relative} above ${starts.join(' or ')}; set KILN_WORKFLOWS_PATH.`);
}

let bundle: Promise<WorkflowBundle> | undefined;

/**
 * The Kiln workflow bundle, built once per process (bundling takes seconds),
 * however many workers, replayers and tests use it.
 *
 * @example
 * ```ts
 * for await (const r of Worker.runReplayHistories({ workflowBundle: await kilnWorkflowBundle() }, histories)) {
 *   if (r.error) throw r.error;
 * }
 * ```
 */
export function kilnWorkflowBundle(): Promise<WorkflowBundle> {
  const workflowsPath = kilnWorkflowsPath();
  bundle ??= bundleWorkflowCode({
    workflowsPath,
    logger: quietLogger,
    // Workflow code imports one pure module of libs/ir at run time; webpack knows no tsconfig paths.
    webpackConfigHook: (config) => ({
      ...config,
      resolve: {
        ...config.resolve,
        alias: {
          ...(config.resolve?.alias as Record<string, string> | undefined),
          '@kiln/ir/params$': join(dirname(workflowsPath), '..', '..', '..', 'ir', 'src', 'param-values.ts'),
        },
      },
    }),
  });
  return bundle;
}

/**
 * @example
 * ```ts
 * const connection = await NativeConnection.connect({ address: 'localhost:7233' });
 * const worker = await createKilnWorker({ connection, taskQueue: 'kiln', activities: createLocalExecutorActivities({ store }) });
 * await worker.run();
 * ```
 */
export async function createKilnWorker(options: KilnWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace ?? 'default',
    taskQueue: options.taskQueue,
    workflowBundle: options.workflowBundle ?? (await kilnWorkflowBundle()),
    activities: options.activities,
    maxCachedWorkflows: options.maxCachedWorkflows ?? 200,
    maxConcurrentActivityTaskExecutions: options.maxConcurrentActivityTaskExecutions ?? 100,
    maxConcurrentActivityTaskPolls: 20,
    // Cancellation reaches a step only in a heartbeat's response: send heartbeats often
    // enough that cancelling a run (or failFast) stops its steps within about a second.
    maxHeartbeatThrottleInterval: '1 second',
    defaultHeartbeatThrottleInterval: '1 second',
    ...(options.identity ? { identity: options.identity } : {}),
  });
}

/** Webpack's progress output is noise for users; warnings and errors still show. */
const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string, meta?: Record<string, unknown>) => console.warn(message, meta ?? ''),
  error: (message: string, meta?: Record<string, unknown>) => console.error(message, meta ?? ''),
};
