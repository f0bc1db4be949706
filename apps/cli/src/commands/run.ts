/**
 * `kiln run <file.ts|ir.json|ir.yaml> [--pipeline name] [--param k=v ...] [--executor local] [--json]`
 *
 * With no Temporal configured it starts an embedded Temporal dev server and an
 * in-process worker with the local executor; otherwise it starts the run for a
 * running worker on the configured Temporal ({@link cliTemporalSettings}: the
 * worker's `KILN_TEMPORAL_*` settings or the Temporal CLI's `TEMPORAL_*`
 * variables, including TLS and API key). The executor is `--executor`, else the
 * pipeline's `executor` setting, else `local`.
 * Progress goes to stderr; `--json` prints the final run status document on
 * stdout. Exit status 0 when the run succeeded, 1 otherwise.
 */
import {
  Client,
  Connection,
  WorkflowFailedError,
  type ConnectionOptions,
  type WorkflowHandle,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { defaultStoreUrl } from '@kiln/artifacts';
import {
  loadSettings,
  temporalConnectionOptions,
  temporalSchema,
  temporalSources,
  type TemporalSettings,
} from '@kiln/config';
import { z } from 'zod';
import { statusQuery, type ExecutorKind, type RunStatusDocument } from '@kiln/engine-contract';
import { startPipelineRun } from '@kiln/engine-client';
import { walkDag, type JsonValue, type PipelineSpec } from '@kiln/ir';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliError } from '../errors';
import { startEmbeddedTemporal } from '../run/embedded-temporal';
import { loadSpec } from '../run/load-spec';
import { startLocalWorker } from '../run/local-worker';
import { parseParams } from '../run/params';
import { ProgressPrinter } from '../run/progress';
import { awaitRunResult } from '../run/run-result';

export interface RunCommandOptions {
  pipeline?: string;
  param?: string[];
  executor?: string;
  json?: boolean;
  experiment?: string;
  cache?: boolean;
  /** The embedded worker's Temporal SDK logs on stderr (else in a log file whose path is printed). */
  verbose?: boolean;
}

export interface RunIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

type Say = (line: string) => void;

/** What to run: the IR, its parameters, and the executor asked for (or the one it will get). */
interface RunPlan {
  spec: PipelineSpec;
  params: Record<string, JsonValue>;
  /** `--executor`, when given. */
  chosen?: ExecutorKind;
  /** The executor the run will use: `--executor`, else the pipeline's setting, else local. */
  executor: ExecutorKind;
}

/** Where the run goes: Temporal, its namespace and task queue, its Web UI; and what to stop afterwards. */
interface RunTarget {
  connection: ConnectionOptions;
  namespace: string;
  taskQueue: string;
  ui?: string;
  stop(): Promise<void>;
}

/** Starts the run, follows it, and returns the exit status. */
export async function runCommand(file: string, options: RunCommandOptions, io: RunIo): Promise<number> {
  const say: Say = (line) => io.stderr(`${line}\n`);
  const plan = await planRun(file, options);
  const temporal = cliTemporalSettings(process.env);
  const target = temporal ? configuredTarget(temporal) : await embeddedTarget(plan, say, options.verbose === true);
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect(target.connection);
    const client = new Client({ connection, namespace: target.namespace });
    const handle = await startPipelineRun(client, {
      taskQueue: target.taskQueue,
      spec: plan.spec,
      params: plan.params,
      options: {
        ...(plan.chosen ? { executor: plan.chosen } : {}),
        ...(options.experiment ? { experiment: options.experiment } : {}),
        ...(options.cache === false ? { cache: false } : {}),
      },
    });
    say(`kiln: started ${plan.spec.pipeline.name} as ${handle.workflowId}`);
    if (target.ui) say(`kiln: Temporal UI: ${target.ui}/namespaces/${target.namespace}/workflows/${handle.workflowId}`);
    const outcome = await followRun(handle, say);
    const state = outcome.doc?.state ?? 'FAILED';
    say(`kiln: ${plan.spec.pipeline.name} ${state}${outcome.error ? `: ${outcome.error}` : ''}`);
    if (options.json && outcome.doc) io.stdout(`${JSON.stringify(outcome.doc, null, 2)}\n`);
    return state === 'SUCCEEDED' ? 0 : 1;
  } finally {
    await connection?.close();
    await target.stop();
  }
}

/** The IR and parameters from the command line; an executor that does not exist is refused here. */
async function planRun(file: string, options: RunCommandOptions): Promise<RunPlan> {
  const chosen = options.executor;
  if (chosen !== undefined && chosen !== 'local' && chosen !== 'kubernetes')
    throw new CliError(`unknown executor '${options.executor}' (local, kubernetes)`);
  const spec = await loadSpec(file, options.pipeline);
  const params = parseParams(spec, options.param ?? []);
  // The engine applies the same order; it is resolved here only to refuse what the embedded worker cannot run.
  const executor: ExecutorKind = chosen ?? spec.settings.executor ?? 'local';
  return { spec, params, executor, ...(chosen ? { chosen } : {}) };
}

/** A running worker on the configured Temporal: nothing to start, nothing to stop. */
function configuredTarget(temporal: TemporalSettings): RunTarget {
  const ui = process.env['KILN_TEMPORAL_UI'];
  return {
    connection: temporalConnectionOptions(temporal),
    namespace: temporal.namespace,
    taskQueue: temporal.taskQueue,
    ...(ui ? { ui } : {}),
    stop: async () => undefined,
  };
}

/** An embedded dev server and a local worker of this process, both stopped when the run is done. */
async function embeddedTarget(plan: RunPlan, say: Say, verbose: boolean): Promise<RunTarget> {
  if (plan.executor !== 'local')
    throw new CliError(
      `the embedded server runs the local executor only, and ${plan.chosen ? '--executor' : "the pipeline's executor setting"} asks for ${plan.executor}; set TEMPORAL_ADDRESS to use a worker with the kubernetes executor`,
    );
  say(
    'kiln: no TEMPORAL_ADDRESS set; starting an embedded Temporal dev server and worker (local executor; images are ignored, steps run as local processes)',
  );
  const embedded = await startEmbeddedTemporal(say);
  const taskQueue = `kiln-embedded-${process.pid}`;
  // The SDK logs every failed attempt as a block of stack traces: they go to a file, Kiln prints one line per attempt.
  const logFile = verbose ? undefined : join(tmpdir(), `kiln-run-${process.pid}-${Date.now()}.log`);
  if (logFile) say(`kiln: worker logs: ${logFile} (--verbose shows them here)`);
  const limit = workerLimitNote(plan.spec, EMBEDDED_WORKER_SLOTS);
  if (limit) say(`kiln: ${limit}`);
  try {
    const worker = await startLocalWorker({
      address: embedded.address,
      namespace: embedded.namespace,
      taskQueue,
      storeUrl: process.env['KILN_ARTIFACTS'] ?? defaultStoreUrl(),
      logLevel: verbose ? 'INFO' : 'WARN',
      ...(logFile ? { logFile } : {}),
    });
    return {
      connection: { address: embedded.address },
      namespace: embedded.namespace,
      taskQueue,
      ui: embedded.ui,
      async stop() {
        await worker.stop();
        await embedded.stop();
      },
    };
  } catch (error) {
    await embedded.stop();
    throw error;
  }
}

/** Steps the embedded worker runs at once (`createKilnWorker`'s default activity slots). */
const EMBEDDED_WORKER_SLOTS = 100;

/**
 * A line when the pipeline asks for more concurrent steps (a loop's `parallelism`, or its
 * `settings.parallelism`) than a worker with `slots` activity slots runs at once; the engine
 * honours the request, the worker's slots then cap it.
 */
export function workerLimitNote(spec: PipelineSpec, slots: number): string | undefined {
  const asks: { what: string; parallelism: number }[] = [];
  if (spec.settings.parallelism !== undefined)
    asks.push({ what: 'the pipeline (settings.parallelism)', parallelism: spec.settings.parallelism });
  const dags = [
    spec.root,
    ...Object.values(spec.components).flatMap((c) => (c.implementation.type === 'dag' ? [c.implementation.dag] : [])),
  ];
  for (const dag of dags)
    for (const { id, node } of walkDag(dag))
      if (node.type === 'loop' && node.parallelism !== undefined)
        asks.push({ what: `loop "${id}"`, parallelism: node.parallelism });
  const widest = asks.reduce<(typeof asks)[number] | undefined>(
    (best, ask) => (!best || ask.parallelism > best.parallelism ? ask : best),
    undefined,
  );
  if (!widest || widest.parallelism <= slots) return undefined;
  return `${widest.what} asks for parallelism ${widest.parallelism}; the embedded worker runs at most ${slots} steps at once (its activity slots), so at most ${slots} run together`;
}

/**
 * Prints progress until the run ends and answers its final document. Ctrl-C
 * cancels the run (exit handlers still run); a second one quits at once.
 */
async function followRun(handle: WorkflowHandle, say: Say): Promise<{ doc?: RunStatusDocument; error?: string }> {
  let interrupted = false;
  const onSigint = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    say('kiln: cancelling the run (Ctrl-C again to quit now)');
    void handle.cancel().catch(() => undefined);
  };
  process.on('SIGINT', onSigint);
  const printer = new ProgressPrinter(say);
  let finished = false;
  const onReadFailed = (why: string) => say(`kiln: reading the run's result failed (${why}); asking again`);
  const result = awaitRunResult(handle, { onReadFailed }).then((ended) =>
    'doc' in ended
      ? { doc: ended.doc, error: undefined as string | undefined }
      : { doc: undefined, error: failureText(ended.failure), failure: ended.failure },
  );
  void result.finally(() => (finished = true));
  try {
    while (!finished) {
      const doc = await handle.query(statusQuery).catch(() => undefined);
      if (doc) printer.update(doc);
      await Promise.race([result, new Promise((resolve) => setTimeout(resolve, 500))]);
    }
  } finally {
    process.off('SIGINT', onSigint);
  }
  const outcome = await result;
  const doc: RunStatusDocument | undefined =
    outcome.doc ??
    ('failure' in outcome ? documentOf(outcome.failure) : undefined) ??
    (await handle.query(statusQuery).catch(() => undefined));
  if (doc) printer.update(doc);
  return { ...(doc ? { doc } : {}), ...(outcome.error ? { error: outcome.error } : {}) };
}

function failureText(error: unknown): string {
  if (error instanceof WorkflowFailedError) return error.cause?.message ?? error.message;
  return error instanceof Error ? error.message : String(error);
}

/** A failed run carries its final status document in the failure's details. */
function documentOf(error: unknown): RunStatusDocument | undefined {
  const cause = error instanceof WorkflowFailedError ? error.cause : undefined;
  return cause instanceof ApplicationFailure ? (cause.details?.[0] as RunStatusDocument | undefined) : undefined;
}
/** The Temporal CLI's variables, each standing in for the worker's `KILN_*` setting when that is not set. */
const TEMPORAL_CLI_VARIABLES: ReadonlyArray<readonly [string, string]> = [
  ['TEMPORAL_ADDRESS', 'KILN_TEMPORAL_ADDRESS'],
  ['TEMPORAL_NAMESPACE', 'KILN_TEMPORAL_NAMESPACE'],
  ['TEMPORAL_API_KEY', 'KILN_TEMPORAL_API_KEY'],
  ['TEMPORAL_TLS', 'KILN_TEMPORAL_TLS'],
  ['TEMPORAL_TLS_CERT', 'KILN_TEMPORAL_TLS_CERT'],
  ['TEMPORAL_TLS_KEY', 'KILN_TEMPORAL_TLS_KEY'],
  ['TEMPORAL_TLS_CA', 'KILN_TEMPORAL_TLS_CA'],
  ['TEMPORAL_TLS_SERVER_NAME', 'KILN_TEMPORAL_TLS_SERVER_NAME'],
];

/**
 * The Temporal connection `kiln run` uses, or `undefined` when none is
 * configured (then it starts the embedded dev server). Reads the same
 * settings as the worker (`KILN_TEMPORAL_*`, `KILN_TASK_QUEUE`, a `KILN_CONFIG`
 * file) and, for whatever those leave unset, the Temporal CLI's `TEMPORAL_*`
 * variables, so a shell set up for `temporal` works as is.
 *
 * @throws {ConfigError} naming each invalid setting.
 * @example
 * ```ts
 * cliTemporalSettings({ TEMPORAL_ADDRESS: 'temporal.prod:7233', TEMPORAL_API_KEY: 'k' });
 * // → { address: 'temporal.prod:7233', namespace: 'default', taskQueue: 'kiln', apiKey: 'k' }
 * ```
 */
export function cliTemporalSettings(environment: NodeJS.ProcessEnv): TemporalSettings | undefined {
  // Read each setting from the variable the user set, so an error names that variable.
  const sources = temporalSources.map((source) => {
    const cliVariable = TEMPORAL_CLI_VARIABLES.find(([, kiln]) => kiln === source.env)?.[0];
    return cliVariable && !environment[source.env] && environment[cliVariable]
      ? { ...source, env: cliVariable }
      : source;
  });
  const addressSource = sources.find((source) => source.path === 'temporal.address');
  if (!(addressSource && environment[addressSource.env]) && !environment['KILN_CONFIG']) return undefined;
  // Not strict at the top: a KILN_CONFIG file shared with the worker holds its other sections too.
  return loadSettings(z.object({ temporal: temporalSchema.prefault({}) }), sources, {
    env: environment,
    fileVariable: 'KILN_CONFIG',
  }).temporal;
}
