/**
 * The Kiln worker: the interpreter workflows plus an executor's activities on one
 * task queue. Node-only (not workflow code).
 */
import {
  bundleWorkflowCode,
  Worker,
  type NativeConnection,
  type WorkerOptions,
  type WorkflowBundle,
} from '@temporalio/worker';
import { existsSync, readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { dirname, join, resolve } from 'node:path';
import type { KilnActivities } from '@kiln/engine-contract';

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
  /**
   * Whether a step the workflow schedules may come back to this worker in the answer to the workflow
   * task that scheduled it (eager activity dispatch: one round trip through the server's matching less
   * per step, where the server allows it; the Temporal CLI's dev server does). Default true: off, a
   * 50-step chain of no-op steps took 5.0 s instead of 2.1–2.5 s (tools/bench/results/engine.md).
   */
  eagerActivities?: boolean;
  /**
   * Whether the workflow sandbox keeps stack traces: the `__stack_trace` query (the Temporal UI's "Stack
   * Trace" tab) and the stacks of errors thrown in workflow code. Default false. With them on, the Temporal
   * SDK captures and source-maps a stack for every promise workflow code creates, and Kiln's interpreter
   * creates many: with them, a 10,000-item loop took 75.6 s instead of 66.9 s on one worker, 1.13× (the
   * hand-written workflow of the same bench 1.08×; tools/bench/results/engine.md). A run's status document
   * says where it is in pipeline terms; turn them on to debug the interpreter itself.
   */
  workflowStackTraces?: boolean;
  /** For tests: the worker's identity in Temporal. */
  identity?: string;
}

/** The workflow bundle's entry, relative to the workspace root. */
const workflowsEntry = join('libs', 'engine', 'workflows', 'src', 'index.ts');

/**
 * Where the workflow bundle's entry lives. Found from the workspace (this code
 * runs as ESM under tsx and as CJS under jest, which locate themselves
 * differently); override with `KILN_WORKFLOWS_PATH`.
 */
export function kilnWorkflowsPath(): string {
  const fromEnv = process.env['KILN_WORKFLOWS_PATH'];
  if (fromEnv) return fromEnv;
  return join(workspaceRoot(), workflowsEntry);
}

function workspaceRoot(): string {
  const starts = [process.cwd(), ...(process.argv[1] ? [dirname(resolve(process.argv[1]))] : [])];
  for (const start of starts) {
    for (let dir = start; ; dir = dirname(dir)) {
      if (existsSync(join(dir, workflowsEntry))) return dir;
      if (dirname(dir) === dir) break;
    }
  }
  throw new Error(`Cannot find ${workflowsEntry} above ${starts.join(' or ')}; set KILN_WORKFLOWS_PATH.`);
}

/**
 * Webpack knows no tsconfig paths: the workflow code's `@kiln/*` imports (the
 * engine contract, libs/ir) resolve through the same table TypeScript uses.
 * With `KILN_WORKFLOWS_PATH` set, the workspace root is three levels above `src/`.
 */
function workspaceAliases(workflowsPath: string): Record<string, string> {
  const root = process.env['KILN_WORKFLOWS_PATH']
    ? resolve(dirname(workflowsPath), '..', '..', '..', '..')
    : workspaceRoot();
  const tsconfig = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8')) as {
    compilerOptions?: { paths?: Record<string, string[]> };
  };
  const aliases: Record<string, string> = {};
  for (const [name, [target]] of Object.entries(tsconfig.compilerOptions?.paths ?? {})) {
    if (target) aliases[`${name}$`] = join(root, target);
  }
  return aliases;
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
    webpackConfigHook: (config) => ({
      ...config,
      resolve: {
        ...config.resolve,
        alias: {
          ...(config.resolve?.alias as Record<string, string> | undefined),
          ...workspaceAliases(workflowsPath),
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
  // Bundled first: only the workflow threads' contexts should be made with the lower limit.
  const workflowBundle = options.workflowBundle ?? (await kilnWorkflowBundle());
  const create = () => createWorker(options, workflowBundle);
  return options.workflowStackTraces ? create() : withoutWorkflowStackTraces(create);
}

/**
 * Runs `createWorkers` (a `Worker.create`) with V8's stack trace limit at 0, then puts the process's own
 * back: V8 reads the limit when it creates a context, and the workflow threads create theirs inside
 * `Worker.create`. Contexts made before (this thread's own) or after keep the process's limit.
 *
 * @example
 * ```ts
 * const worker = await withoutWorkflowStackTraces(() => Worker.create({ connection, taskQueue, workflowsPath }));
 * ```
 */
export async function withoutWorkflowStackTraces<T>(createWorkers: () => Promise<T>): Promise<T> {
  setFlagsFromString('--stack-trace-limit=0');
  try {
    return await createWorkers();
  } finally {
    setFlagsFromString(`--stack-trace-limit=${processStackTraceLimit()}`);
  }
}

/**
 * The stack trace limit this process started with: `--stack-trace-limit` in its flags or `NODE_OPTIONS`,
 * else V8's 10. What `withoutWorkflowStackTraces` puts back once the workflow threads have started.
 *
 * @example
 * ```ts
 * processStackTraceLimit(['--stack-trace-limit=25'], ''); // 25
 * processStackTraceLimit([], ''); // 10
 * ```
 */
export function processStackTraceLimit(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions = process.env['NODE_OPTIONS'] ?? '',
): number {
  const given = [...execArgv, ...nodeOptions.split(/\s+/)]
    .map((arg) => /^--stack[-_]trace[-_]limit=(\d+)$/.exec(arg)?.[1])
    .filter((value) => value !== undefined);
  return given.length ? Number(given[given.length - 1]) : 10;
}

function createWorker(options: KilnWorkerOptions, workflowBundle: WorkflowBundle): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace ?? 'default',
    taskQueue: options.taskQueue,
    workflowBundle,
    activities: options.activities,
    maxCachedWorkflows: options.maxCachedWorkflows ?? 200,
    maxConcurrentActivityTaskExecutions: options.maxConcurrentActivityTaskExecutions ?? 100,
    maxConcurrentActivityTaskPolls: 20,
    // 0 turns eager dispatch off; with it on, the SDK's default number of slots per workflow task. (Typed
    // apart: a misspelled option inside a spread would pass the compiler unnoticed.)
    ...eagerDispatch(options.eagerActivities),
    // Cancellation reaches a step only in a heartbeat's response: send heartbeats often
    // enough that cancelling a run (or failFast) stops its steps within about a second.
    maxHeartbeatThrottleInterval: '1 second',
    defaultHeartbeatThrottleInterval: '1 second',
    ...(options.identity ? { identity: options.identity } : {}),
  });
}

function eagerDispatch(eager: boolean | undefined): Pick<WorkerOptions, 'maxEagerActivityReservationsPerWorkflowTask'> {
  return eager === false ? { maxEagerActivityReservationsPerWorkflowTask: 0 } : {};
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
