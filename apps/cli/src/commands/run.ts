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
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { NativeConnection, Runtime, DefaultLogger, type Worker } from '@temporalio/worker';
import { createLocalExecutorActivities } from '@kiln/local-executor';
import { defaultStoreUrl, openStore } from '@kiln/artifacts';
import {
  loadSettings,
  temporalConnectionOptions,
  temporalSchema,
  temporalSources,
  type TemporalSettings,
} from '@kiln/config';
import { z } from 'zod';
import { statusQuery, type ExecutorKind, type RunStatusDocument } from '@kiln/engine-contract';
import { createKilnWorker } from '@kiln/engine-worker';
import { startPipelineRun } from '@kiln/engine-client';
import { CliError } from '../errors';
import { startEmbeddedTemporal, type EmbeddedTemporal } from '../run/embedded-temporal';
import { loadSpec } from '../run/load-spec';
import { parseParams } from '../run/params';
import { ProgressPrinter } from '../run/progress';

export interface RunCommandOptions {
  pipeline?: string;
  param?: string[];
  executor?: string;
  json?: boolean;
  experiment?: string;
  cache?: boolean;
}

export interface RunIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** Starts the run, follows it, and returns the exit status. */
export async function runCommand(file: string, options: RunCommandOptions, io: RunIo): Promise<number> {
  const say = (line: string) => io.stderr(`${line}\n`);
  const chosen = options.executor as ExecutorKind | undefined;
  if (chosen !== undefined && chosen !== 'local' && chosen !== 'kubernetes')
    throw new CliError(`unknown executor '${options.executor}' (local, kubernetes)`);
  const spec = await loadSpec(file, options.pipeline);
  const params = parseParams(spec, options.param ?? []);
  // The engine applies the same order; it is resolved here only to refuse what the embedded worker cannot run.
  const executor: ExecutorKind = chosen ?? spec.settings.executor ?? 'local';

  const temporal = cliTemporalSettings(process.env);
  let embedded: EmbeddedTemporal | undefined;
  let worker: Worker | undefined;
  let workerDone: Promise<void> | undefined;
  let nativeConnection: NativeConnection | undefined;
  let connection: Connection | undefined;
  try {
    let namespace = temporal?.namespace ?? 'default';
    let taskQueue = temporal?.taskQueue ?? 'kiln';
    let ui = process.env['KILN_TEMPORAL_UI'];
    if (!temporal) {
      if (executor !== 'local')
        throw new CliError(
          `the embedded server runs the local executor only, and ${chosen ? '--executor' : "the pipeline's executor setting"} asks for ${executor}; set TEMPORAL_ADDRESS to use a worker with the kubernetes executor`,
        );
      say(
        'kiln: no TEMPORAL_ADDRESS set; starting an embedded Temporal dev server and worker (local executor; images are ignored, steps run as local processes)',
      );
      embedded = await startEmbeddedTemporal(say);
      namespace = embedded.namespace;
      taskQueue = `kiln-embedded-${process.pid}`;
      ui = embedded.ui;
      Runtime.install({ logger: new DefaultLogger('WARN') });
      nativeConnection = await NativeConnection.connect({ address: embedded.address });
      const store = openStore(process.env['KILN_ARTIFACTS'] ?? defaultStoreUrl());
      worker = await createKilnWorker({
        connection: nativeConnection,
        namespace,
        taskQueue,
        activities: createLocalExecutorActivities({ store }),
      });
      workerDone = worker.run();
    }
    connection = await Connection.connect(
      embedded ? { address: embedded.address } : temporalConnectionOptions(temporal as TemporalSettings),
    );
    const client = new Client({ connection, namespace });
    const handle = await startPipelineRun(client, {
      taskQueue,
      spec,
      params,
      options: {
        ...(chosen ? { executor: chosen } : {}),
        ...(options.experiment ? { experiment: options.experiment } : {}),
        ...(options.cache === false ? { cache: false } : {}),
      },
    });
    say(`kiln: started ${spec.pipeline.name} as ${handle.workflowId}`);
    if (ui) say(`kiln: Temporal UI: ${ui}/namespaces/${namespace}/workflows/${handle.workflowId}`);

    // Ctrl-C cancels the run (exit handlers still run); a second one quits at once.
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
    const result = handle.result().then(
      (doc) => ({ doc: doc as RunStatusDocument, error: undefined as string | undefined }),
      (error: unknown) => ({ doc: undefined, error: failureText(error), failure: error }),
    );
    void result.finally(() => (finished = true));
    while (!finished) {
      const doc = await handle.query(statusQuery).catch(() => undefined);
      if (doc) printer.update(doc);
      await Promise.race([result, new Promise((resolve) => setTimeout(resolve, 500))]);
    }
    process.off('SIGINT', onSigint);
    const outcome = await result;
    const doc: RunStatusDocument | undefined =
      outcome.doc ??
      ('failure' in outcome ? documentOf(outcome.failure) : undefined) ??
      (await handle.query(statusQuery).catch(() => undefined));
    if (doc) printer.update(doc);
    const state = doc?.state ?? 'FAILED';
    say(`kiln: ${spec.pipeline.name} ${state}${outcome.error ? `: ${outcome.error}` : ''}`);
    if (options.json && doc) io.stdout(`${JSON.stringify(doc, null, 2)}\n`);
    return state === 'SUCCEEDED' ? 0 : 1;
  } finally {
    worker?.shutdown();
    await workerDone?.catch(() => undefined);
    await connection?.close();
    await nativeConnection?.close();
    await embedded?.stop();
  }
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
