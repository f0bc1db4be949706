/**
 * The Kiln API process:
 *
 *   KILN_API_TOKENS=ci:operator:<sha256> node --import tsx apps/api/src/main.ts
 *
 * Configuration: `KILN_*` environment variables and the optional file named by
 * `KILN_API_CONFIG` (or `KILN_CONFIG`); see docs/api.md.
 */
import { openStore } from '@kiln/artifacts';
import { Client, Connection } from '@temporalio/client';
import { loadApiConfig } from './config/load';
import { ConfigError } from '@kiln/config';
import { temporalConnectionOptions } from '@kiln/config';
import { PipelineRegistry } from './pipelines/registry';
import { buildServer } from './server';

let config;
try {
  config = loadApiConfig(process.env);
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`kiln api: invalid configuration\n${error.message}\n`);
    process.exit(2);
  }
  throw error;
}

const connection = await Connection.connect(temporalConnectionOptions(config.temporal));
const client = new Client({ connection, namespace: config.temporal.namespace });
const store = openStore(config.store.url);
const kube = config.kubernetes.namespace
  ? await connectKube(config.kubernetes.namespace, config.kubernetes.kubeconfig)
  : undefined;
const app = await buildServer({
  deps: {
    client,
    store,
    registry: new PipelineRegistry(store),
    taskQueue: config.temporal.taskQueue,
    limits: {
      ...config.limits,
      minScheduleIntervalSeconds: config.schedules.minIntervalSeconds,
      maxBackfillActions: config.schedules.maxBackfillActions,
    },
    inlineSpecRole: config.auth.inlineSpecRole,
    ...(config.temporalUiUrl ? { temporalUiUrl: config.temporalUiUrl } : {}),
    ...(kube ? { kube } : {}),
  },
  auth: { tokens: config.auth.tokens ?? [], disabled: config.auth.disabled },
  log: config.log.level,
  ...(config.ui.dir ? { uiDir: config.ui.dir } : {}),
});
if (config.auth.disabled)
  app.log.warn(
    'authentication is DISABLED (KILN_API_AUTH_DISABLED=true): every caller is an admin; for local development only',
  );
await app.listen({ host: config.server.host, port: config.server.port });
app.log.info(
  {
    temporal: {
      address: config.temporal.address,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
    },
    store: store.url,
    kubernetes: kube ? kube.namespace : 'off',
    tokens: (config.auth.tokens ?? []).map((t) => `${t.name}:${t.role}`),
  },
  'kiln api ready',
);

let closing = false;
const stop = (signal: NodeJS.Signals) => {
  if (closing) process.exit(130);
  closing = true;
  app.log.info({ signal }, 'shutting down');
  void app
    .close()
    .then(() => connection.close())
    .then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

/** The cluster for live logs of Kubernetes steps. Loaded only when configured: the client is large and ESM-only. */
async function connectKube(namespace: string, kubeconfig: string | undefined) {
  const { CoreV1Api, KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  if (kubeconfig) kc.loadFromFile(kubeconfig);
  else kc.loadFromDefault();
  return { kc, core: kc.makeApiClient(CoreV1Api), namespace };
}
