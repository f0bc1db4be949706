/**
 * `kiln dev`: everything Kiln needs on one laptop, until Ctrl-C —
 * an embedded Temporal dev server with its Web UI (or TEMPORAL_ADDRESS's),
 * a Kiln worker with the local executor in this process, and the Kiln API
 * (apps/api) as a child process with a freshly generated admin token.
 * Prints where each one is and the `export` lines for the other commands.
 */
import { createLocalExecutorActivities } from '@kiln/local-executor';
import { defaultStoreUrl, openStore } from '@kiln/artifacts';
import { createKilnWorker } from '@kiln/engine-worker';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { createHash, randomBytes } from 'node:crypto';
import { freePort, startApiProcess, type ApiProcess } from '../api/api-process';
import { CliError } from '../errors';
import { startEmbeddedTemporal, type EmbeddedTemporal } from '../run/embedded-temporal';

export interface DevOptions {
  /** API port; 0 picks a free one. */
  apiPort: string;
  token?: string;
  taskQueue?: string;
  json?: boolean;
  verbose?: boolean;
}

export interface DevIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** What `kiln dev --json` prints once everything is up. */
export interface DevInfo {
  temporal: { address: string; namespace: string; ui?: string; embedded: boolean };
  api: { url: string; token: string; openapi: string; docs: string };
  worker: { taskQueue: string; executor: 'local'; store: string };
}

/** Runs until SIGINT/SIGTERM (or a part dies); returns the exit status. */
export async function devCommand(options: DevOptions, io: DevIo): Promise<number> {
  const say = (line: string) => io.stderr(`${line}\n`);
  const requestedPort = Number(options.apiPort);
  if (!Number.isInteger(requestedPort) || requestedPort < 0 || requestedPort > 65535)
    throw new CliError('--api-port must be a port number (0 picks a free one)');

  let embedded: EmbeddedTemporal | undefined;
  let nativeConnection: NativeConnection | undefined;
  let worker: Worker | undefined;
  let workerDone: Promise<void> | undefined;
  let api: ApiProcess | undefined;
  // Ctrl-C during start-up stops what has started so far.
  let stopRequested: (() => void) | undefined;
  const stopped = new Promise<string>((resolve) => (stopRequested = () => resolve('signal')));
  const onSignal = () => {
    if (!stopRequested) process.exit(130);
    say('\nkiln dev: stopping (Ctrl-C again to quit at once)');
    stopRequested();
    stopRequested = undefined;
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const address = process.env['TEMPORAL_ADDRESS'];
    let temporal: DevInfo['temporal'];
    if (address) {
      const ui = process.env['KILN_TEMPORAL_UI'];
      temporal = {
        address,
        namespace: process.env['TEMPORAL_NAMESPACE'] ?? 'default',
        ...(ui ? { ui } : {}),
        embedded: false,
      };
    } else {
      embedded = await startEmbeddedTemporal(say);
      temporal = { address: embedded.address, namespace: embedded.namespace, ui: embedded.ui, embedded: true };
    }

    const store = process.env['KILN_ARTIFACTS'] ?? defaultStoreUrl();
    const taskQueue = options.taskQueue ?? process.env['KILN_TASK_QUEUE'] ?? 'kiln';
    Runtime.install({ logger: new DefaultLogger(options.verbose ? 'INFO' : 'WARN') });
    nativeConnection = await NativeConnection.connect({ address: temporal.address });
    worker = await createKilnWorker({
      connection: nativeConnection,
      namespace: temporal.namespace,
      taskQueue,
      activities: createLocalExecutorActivities({ store: openStore(store) }),
    });
    workerDone = worker.run();

    const token = options.token ?? `kiln_dev_${randomBytes(24).toString('base64url')}`;
    const port = requestedPort === 0 ? await freePort() : requestedPort;
    api = await startApiProcess(
      port,
      {
        KILN_TEMPORAL_ADDRESS: temporal.address,
        KILN_TEMPORAL_NAMESPACE: temporal.namespace,
        KILN_TASK_QUEUE: taskQueue,
        KILN_ARTIFACTS: store,
        KILN_API_TOKENS: `dev:admin:${createHash('sha256').update(token).digest('hex')}`,
        KILN_LOG_LEVEL: options.verbose ? 'info' : 'warn',
        ...(temporal.ui ? { KILN_TEMPORAL_UI_URL: temporal.ui } : {}),
      },
      (line) => say(`api | ${line}`),
    );

    const info: DevInfo = {
      temporal,
      api: { url: api.url, token, openapi: `${api.url}/openapi.json`, docs: `${api.url}/docs` },
      worker: { taskQueue, executor: 'local', store },
    };
    io.stdout(options.json ? `${JSON.stringify(info)}\n` : banner(info));

    const why = await Promise.race([
      stopped,
      api.exited.then((code) => `the Kiln API exited (${code})`),
      workerDone.then(
        () => 'the worker stopped',
        (error: unknown) => `the worker failed: ${error instanceof Error ? error.message : String(error)}`,
      ),
    ]);
    if (why !== 'signal') {
      say(`kiln dev: ${why}; stopping everything`);
      return 1;
    }
    return 0;
  } finally {
    await api?.stop();
    if (worker && worker.getState() === 'RUNNING') worker.shutdown();
    await workerDone?.catch(() => undefined);
    await nativeConnection?.close();
    await embedded?.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function banner(info: DevInfo): string {
  const lines = [
    'kiln dev is running (Ctrl-C stops everything)',
    '',
    `  Temporal        ${info.temporal.address} (namespace ${info.temporal.namespace}${info.temporal.embedded ? ', embedded, in memory' : ''})`,
    ...(info.temporal.ui ? [`  Temporal UI     ${info.temporal.ui}`] : []),
    `  Kiln API        ${info.api.url}   (OpenAPI ${info.api.openapi}, docs ${info.api.docs})`,
    `  API token       ${info.api.token}   (role admin; new each start unless --token)`,
    `  worker          task queue ${info.worker.taskQueue}, local executor, artifacts ${info.worker.store}`,
    '',
    'In another shell:',
    `  export KILN_API_URL=${info.api.url} KILN_API_TOKEN=${info.api.token}`,
    `  export TEMPORAL_ADDRESS=${info.temporal.address}${info.temporal.ui ? ` KILN_TEMPORAL_UI=${info.temporal.ui}` : ''}   # so \`kiln run\` uses this server and worker`,
    '  kiln pipelines upload examples/training/pipeline.ts',
    '  kiln runs list',
    `  curl -H "Authorization: Bearer $KILN_API_TOKEN" ${info.api.url}/runs`,
    '',
  ];
  return lines.join('\n');
}
