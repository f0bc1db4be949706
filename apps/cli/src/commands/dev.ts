/**
 * `kiln dev`: everything Kiln needs on one laptop, until Ctrl-C —
 * an embedded Temporal dev server with its Web UI (or TEMPORAL_ADDRESS's),
 * a Kiln worker with the local executor in this process, and the Kiln API
 * (apps/api) as a child process with a freshly generated admin token (and, when
 * asked, operator and viewer tokens, to try the web UI as those roles).
 * Prints where each one is and the `export` lines for the other commands.
 */
import { defaultStoreUrl } from '@kiln/artifacts';
import { dirname, resolve } from 'node:path';
import { apiMainPath, freePort, startApiProcess, type ApiProcess } from '../api/api-process';
import { apiTokensSetting, devTokens, type DevTokens } from '../api/dev-tokens';
import { ensureUiBuild } from '../api/ui-build';
import { CliError } from '../errors';
import { startEmbeddedTemporal, type EmbeddedTemporal } from '../run/embedded-temporal';
import { startLocalWorker, type LocalWorker } from '../run/local-worker';
import { startTestCluster, testServers, type TestCluster } from '../run/test-cluster';

export interface DevOptions {
  /** API port; 0 picks a free one. */
  apiPort: string;
  token?: string;
  /** Also an operator token: this one, or (`true`, the flag without a value) a generated one. */
  operatorToken?: string | boolean;
  /** Also a viewer token: this one, or (`true`) a generated one. */
  viewerToken?: string | boolean;
  taskQueue?: string;
  json?: boolean;
  verbose?: boolean;
  /** `kubernetes`: steps as pods on tools/testenv's test cluster (see `test-cluster.ts`); default local. */
  executor?: string;
  /** Serve the web UI (default true; `--no-ui` turns it off). */
  ui?: boolean;
}

export interface DevIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** What `kiln dev --json` prints once everything is up. */
export interface DevInfo {
  temporal: { address: string; namespace: string; ui?: string; embedded: boolean };
  api: {
    url: string;
    /** The admin token (also `tokens.admin`). */
    token: string;
    /** Every token the API takes, by role: admin always, operator and viewer when asked for. */
    tokens: DevTokens;
    openapi: string;
    docs: string;
  };
  /** The web UI, served by the API; absent with --no-ui. */
  ui?: { url: string };
  worker: { taskQueue: string; executor: 'local' | 'kubernetes'; store: string; namespace?: string };
}

type Say = (line: string) => void;

/** Where Temporal is: TEMPORAL_ADDRESS's server, or an embedded dev server started here (`embedded`, to stop). */
async function devTemporal(say: Say): Promise<{ temporal: DevInfo['temporal']; embedded?: EmbeddedTemporal }> {
  const address = process.env['TEMPORAL_ADDRESS'];
  if (address) {
    const ui = process.env['KILN_TEMPORAL_UI'];
    const namespace = process.env['TEMPORAL_NAMESPACE'] ?? 'default';
    return { temporal: { address, namespace, ...(ui ? { ui } : {}), embedded: false } };
  }
  const embedded = await startEmbeddedTemporal(say);
  return {
    temporal: { address: embedded.address, namespace: embedded.namespace, ui: embedded.ui, embedded: true },
    embedded,
  };
}

/** The Kiln API as a child process on `port`, sharing the worker's Temporal, task queue and store; `tokens` by role. */
function devApi(
  port: number,
  tokens: DevTokens,
  worker: DevInfo['worker'],
  temporal: DevInfo['temporal'],
  options: DevOptions & { uiDir?: string },
  say: Say,
  s3Env: Record<string, string> = {},
): Promise<ApiProcess> {
  return startApiProcess(
    port,
    {
      KILN_TEMPORAL_ADDRESS: temporal.address,
      KILN_TEMPORAL_NAMESPACE: temporal.namespace,
      KILN_TASK_QUEUE: worker.taskQueue,
      KILN_ARTIFACTS: worker.store,
      KILN_API_TOKENS: apiTokensSetting(tokens),
      KILN_LOG_LEVEL: options.verbose ? 'info' : 'warn',
      // A development server: schedules may fire every second while you try them (deployments keep 60 s).
      KILN_API_SCHEDULE_MIN_INTERVAL_SECONDS: process.env['KILN_API_SCHEDULE_MIN_INTERVAL_SECONDS'] ?? '1',
      ...s3Env,
      ...(temporal.ui ? { KILN_TEMPORAL_UI_URL: temporal.ui } : {}),
      ...(options.uiDir ? { KILN_UI_DIR: options.uiDir } : {}),
    },
    (line) => say(`api | ${line}`),
  );
}

/** Ctrl-C (or SIGTERM) resolves `stopped`, during start-up too; a second one quits at once. `release()` removes the handlers. */
function stopOnSignal(say: Say): { stopped: Promise<'signal'>; release(): void } {
  let stopRequested: (() => void) | undefined;
  const stopped = new Promise<'signal'>((resolve) => (stopRequested = () => resolve('signal')));
  const onSignal = () => {
    if (!stopRequested) process.exit(130);
    say('\nkiln dev: stopping (Ctrl-C again to quit at once)');
    stopRequested();
    stopRequested = undefined;
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    stopped,
    release() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/** The worker: a local one in this process, or (`--executor kubernetes`) a Kubernetes worker on the test cluster. */
interface DevWorker {
  info: DevInfo['worker'];
  /** Settles when the worker stops, with why. */
  done: Promise<string>;
  s3Env: Record<string, string>;
  stop(): Promise<void>;
}

async function startDevWorker(
  temporal: DevInfo['temporal'],
  options: DevOptions,
  cluster?: TestCluster,
): Promise<DevWorker> {
  const taskQueue = options.taskQueue ?? process.env['KILN_TASK_QUEUE'] ?? 'kiln';
  if (cluster) {
    return {
      info: {
        taskQueue,
        executor: 'kubernetes',
        store: cluster.storeUrl,
        namespace: cluster.servers.kubernetes.namespace,
      },
      done: cluster.exited.then((code) => `the Kubernetes worker exited (${code})`),
      s3Env: cluster.s3Env,
      stop: () => cluster.stop(),
    };
  }
  const info: DevInfo['worker'] = {
    taskQueue,
    executor: 'local',
    store: process.env['KILN_ARTIFACTS'] ?? defaultStoreUrl(),
  };
  const worker: LocalWorker = await startLocalWorker({
    address: temporal.address,
    namespace: temporal.namespace,
    taskQueue,
    storeUrl: info.store,
    logLevel: options.verbose ? 'INFO' : 'WARN',
  });
  return {
    info,
    done: worker.done.then(
      () => 'the worker stopped',
      (error: unknown) => `the worker failed: ${error instanceof Error ? error.message : String(error)}`,
    ),
    s3Env: {},
    stop: () => worker.stop(),
  };
}

/** Temporal for `kiln dev`: the test servers' with `--executor kubernetes` (and the cluster's worker), else {@link devTemporal}. */
async function devTemporalFor(
  options: DevOptions,
  say: Say,
): Promise<{ temporal: DevInfo['temporal']; embedded?: EmbeddedTemporal; cluster?: TestCluster }> {
  if (options.executor === undefined || options.executor === 'local') return devTemporal(say);
  if (options.executor !== 'kubernetes')
    throw new CliError(`unknown executor '${options.executor}' (local, kubernetes)`);
  const servers = await testServers(say);
  const taskQueue = options.taskQueue ?? process.env['KILN_TASK_QUEUE'] ?? 'kiln';
  const cluster = await startTestCluster(servers, taskQueue, say);
  return { temporal: { ...servers.temporal, embedded: false }, cluster };
}

/** Runs until SIGINT/SIGTERM (or a part dies); returns the exit status. */
export async function devCommand(options: DevOptions, io: DevIo): Promise<number> {
  const say: Say = (line) => io.stderr(`${line}\n`);
  const requestedPort = Number(options.apiPort);
  if (!Number.isInteger(requestedPort) || requestedPort < 0 || requestedPort > 65535)
    throw new CliError('--api-port must be a port number (0 picks a free one)');
  const tokens = devTokens(options);

  const signal = stopOnSignal(say);
  let embedded: EmbeddedTemporal | undefined;
  let cluster: TestCluster | undefined;
  let worker: DevWorker | undefined;
  let api: ApiProcess | undefined;
  try {
    let temporal: DevInfo['temporal'];
    ({ temporal, embedded, cluster } = await devTemporalFor(options, say));
    worker = await startDevWorker(temporal, options, cluster);

    const port = requestedPort === 0 ? await freePort() : requestedPort;
    // The checkout's root: apps/api/src/main.ts is three folders below it.
    const uiDir =
      options.ui === false ? undefined : (await ensureUiBuild(resolve(dirname(apiMainPath()), '../../..'), say)).dir;
    api = await devApi(
      port,
      tokens,
      worker.info,
      temporal,
      { ...options, ...(uiDir ? { uiDir } : {}) },
      say,
      worker.s3Env,
    );

    const info: DevInfo = {
      temporal,
      api: {
        url: api.url,
        token: tokens.admin,
        tokens,
        openapi: `${api.url}/openapi.json`,
        docs: `${api.url}/docs`,
      },
      ...(uiDir ? { ui: { url: `${api.url}/ui/` } } : {}),
      worker: worker.info,
    };
    io.stdout(options.json ? `${JSON.stringify(info)}\n` : banner(info));

    const why = await Promise.race([
      signal.stopped,
      api.exited.then((code) => `the Kiln API exited (${code})`),
      worker.done,
    ]);
    if (why !== 'signal') {
      say(`kiln dev: ${why}; stopping everything`);
      return 1;
    }
    return 0;
  } finally {
    await api?.stop();
    await (worker?.stop() ?? cluster?.stop());
    await embedded?.stop();
    signal.release();
  }
}

function banner(info: DevInfo): string {
  const lines = [
    'kiln dev is running (Ctrl-C stops everything)',
    '',
    `  Temporal        ${info.temporal.address} (namespace ${info.temporal.namespace}${info.temporal.embedded ? ', embedded, in memory' : ''})`,
    ...(info.temporal.ui ? [`  Temporal UI     ${info.temporal.ui}`] : []),
    ...(info.ui ? [`  Kiln UI         ${info.ui.url}   (sign in with the API token)`] : []),
    `  Kiln API        ${info.api.url}   (OpenAPI ${info.api.openapi}, docs ${info.api.docs})`,
    `  API token       ${info.api.token}   (role admin; new each start unless --token)`,
    ...(info.api.tokens.operator
      ? [`  operator token  ${info.api.tokens.operator}   (role operator: runs and schedules)`]
      : []),
    ...(info.api.tokens.viewer ? [`  viewer token    ${info.api.tokens.viewer}   (role viewer: reads only)`] : []),
    `  worker          task queue ${info.worker.taskQueue}, ${info.worker.executor === 'kubernetes' ? `Kubernetes executor (pods in namespace ${info.worker.namespace})` : 'local executor'}, artifacts ${info.worker.store}`,
    '',
    'In another shell:',
    `  export KILN_API_URL=${info.api.url} KILN_API_TOKEN=${info.api.token}`,
    `  export TEMPORAL_ADDRESS=${info.temporal.address}${info.temporal.ui ? ` KILN_TEMPORAL_UI=${info.temporal.ui}` : ''}${info.worker.taskQueue !== 'kiln' ? ` KILN_TASK_QUEUE=${info.worker.taskQueue}` : ''}   # so \`kiln run\` uses this server and worker`,
    ...(info.worker.executor === 'kubernetes'
      ? ['  kiln run <pipeline> --executor kubernetes   # each step a pod']
      : []),
    '  kiln pipelines upload examples/training/pipeline.ts',
    '  kiln runs list',
    `  curl -H "Authorization: Bearer $KILN_API_TOKEN" ${info.api.url}/runs`,
    '',
  ];
  return lines.join('\n');
}
