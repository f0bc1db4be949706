/**
 * `kiln run <file.ts|ir.json|ir.yaml> [--pipeline name] [--param k=v ...] [--executor local] [--json]`
 *
 * With no TEMPORAL_ADDRESS it starts an embedded Temporal dev server and an
 * in-process worker with the local executor; otherwise it starts the run on
 * TEMPORAL_ADDRESS (TEMPORAL_NAMESPACE, KILN_TASK_QUEUE) for a running worker.
 * Progress goes to stderr; `--json` prints the final run status document on
 * stdout. Exit status 0 when the run succeeded, 1 otherwise.
 */
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { NativeConnection, Runtime, DefaultLogger, type Worker } from '@temporalio/worker';
import { createLocalExecutorActivities } from '@kiln/activities';
import { defaultStoreUrl, openStore } from '@kiln/artifacts';
import { createKilnWorker, startPipelineRun, statusQuery, type ExecutorKind, type RunStatusDocument } from '@kiln/engine';
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
  const executor = (options.executor ?? 'local') as ExecutorKind;
  if (executor !== 'local' && executor !== 'kubernetes') throw new CliError(`unknown executor '${options.executor}' (local, kubernetes)`);
  const spec = await loadSpec(file, options.pipeline);
  const params = parseParams(spec, options.param ?? []);

  const address = process.env['TEMPORAL_ADDRESS'];
  let embedded: EmbeddedTemporal | undefined;
  let worker: Worker | undefined;
  let workerDone: Promise<void> | undefined;
  let nativeConnection: NativeConnection | undefined;
  let connection: Connection | undefined;
  try {
    let namespace = process.env['TEMPORAL_NAMESPACE'] ?? 'default';
    let taskQueue = process.env['KILN_TASK_QUEUE'] ?? 'kiln';
    let ui = process.env['KILN_TEMPORAL_UI'];
    if (!address) {
      if (executor !== 'local') throw new CliError('the embedded server runs the local executor only; set TEMPORAL_ADDRESS to use a worker with the kubernetes executor');
      say('kiln: no TEMPORAL_ADDRESS set; starting an embedded Temporal dev server and worker (local executor; images are ignored, steps run as local processes)');
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
    connection = await Connection.connect({ address: embedded?.address ?? (address as string) });
    const client = new Client({ connection, namespace });
    const handle = await startPipelineRun(client, {
      taskQueue,
      spec,
      params,
      options: {
        executor,
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
      outcome.doc ?? ('failure' in outcome ? documentOf(outcome.failure) : undefined) ?? (await handle.query(statusQuery).catch(() => undefined));
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
