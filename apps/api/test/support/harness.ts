/**
 * The API against real servers: the Temporal dev server from tools/testenv, a
 * file:// store in a temp folder, and (when asked) a real Kiln worker with the
 * local executor in this process, plus the Kubernetes executor on tools/testenv's
 * kube-apiserver and node agent (`@kiln/testing`'s `startTestWorker`, so the API
 * project imports no executor). HTTP goes through fastify's `inject`, or a
 * real socket (`listen`) where streaming matters.
 */
import { openStore, type ArtifactStore } from '@kiln/artifacts';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { getTestEnvironment, type TemporalInfo } from '@kiln/testenv';
import { eventually as pollUntil, installTestRuntime, startTestWorker, type TestWorker } from '@kiln/testing';
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import type { ApiDeps, ApiLimits } from '../../src/deps';
import { inputLimits } from '@kiln/ir';
import type { Role } from '@kiln/api-contract';
import { hashToken } from '../../src/auth/tokens';
import { PipelineRegistry } from '../../src/pipelines/registry';
import { buildServer } from '../../src/server';

export const tokens: Record<Role, string> = {
  viewer: 'test-viewer-token',
  operator: 'test-operator-token',
  admin: 'test-admin-token',
};

export interface ApiHarness {
  app: FastifyInstance;
  client: Client;
  store: ArtifactStore;
  temporal: TemporalInfo;
  taskQueue: string;
  dir: string;
  /** The API on a real socket (started on first call), e.g. `http://127.0.0.1:41234`. */
  listen(): Promise<string>;
  /** An HTTP call as `role` (or without a token when `role` is null). */
  call(
    method: 'GET' | 'POST' | 'DELETE',
    url: string,
    options?: { role?: Role | null; body?: unknown; rawBody?: string; contentType?: string },
  ): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function startApi(options: {
  worker: boolean;
  limits?: Partial<ApiLimits>;
  /** Capture the API's log lines here (at info level) instead of discarding them. */
  logLines?: string[];
  /** Serve the web UI's build from here under /ui/. */
  uiDir?: string;
  /** Run `executor: 'kubernetes'` steps as pods on the test cluster, and give the API cluster access for live logs. */
  kubernetes?: boolean;
}): Promise<ApiHarness> {
  installTestRuntime('WARN');
  const temporal = getTestEnvironment(['temporal']).temporal;
  const dir = await mkdtemp(join(tmpdir(), 'kiln-api-test-'));
  const store = openStore(pathToFileURL(join(dir, 'store')).href);
  const taskQueue = `kiln-api-test-${randomUUID()}`;
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection, namespace: temporal.namespace });

  const kube = options.kubernetes ? testCluster() : undefined;
  const worker: TestWorker | undefined = options.worker
    ? await startTestWorker({
        taskQueue,
        store,
        workRoot: join(dir, 'work'),
        ...(kube ? { kubernetes: { kubeconfig: kube.kc, namespace: kube.namespace } } : {}),
      })
    : undefined;

  const app = await buildServer({
    deps: {
      client,
      store,
      registry: new PipelineRegistry(store),
      taskQueue,
      limits: {
        pipelineBytes: 5 * 1024 * 1024,
        paramsBytes: 256 * 1024,
        input: inputLimits({ maxYamlTokens: 200_000 }),
        // Tests fire schedules every few seconds.
        minScheduleIntervalSeconds: 1,
        maxBackfillActions: 1000,
        ...options.limits,
      },
      temporalUiUrl: temporal.ui,
      ...(kube ? { kube } : {}),
    },
    auth: {
      tokens: (Object.keys(tokens) as Role[]).map((role) => ({
        name: `${role}-user`,
        role,
        sha256: hashToken(tokens[role]),
      })),
      disabled: false,
    },
    log: options.logLines ? 'info' : 'silent',
    ...(options.logLines
      ? { logStream: new Writable({ write: (chunk, _enc, done) => (options.logLines?.push(String(chunk)), done()) }) }
      : {}),
    docsUi: true,
    ...(options.uiDir ? { uiDir: options.uiDir } : {}),
  });

  let listening: Promise<string> | undefined;
  return {
    app,
    client,
    store,
    temporal,
    taskQueue,
    dir,
    listen: () => (listening ??= app.listen({ host: '127.0.0.1', port: 0 })),
    call(method, url, o = {}) {
      const role = o.role === undefined ? 'admin' : o.role;
      const headers: Record<string, string> = {};
      if (role) headers['authorization'] = `Bearer ${tokens[role]}`;
      if (o.contentType) headers['content-type'] = o.contentType;
      const payload = o.rawBody ?? (o.body === undefined ? undefined : JSON.stringify(o.body));
      if (payload !== undefined && !o.contentType) headers['content-type'] = 'application/json';
      return app.inject({ method, url, headers, ...(payload !== undefined ? { payload } : {}) });
    },
    async close() {
      await app.close();
      await worker?.stop();
      await connection.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** tools/testenv's kube-apiserver, as the API's and the worker's cluster. */
function testCluster(): NonNullable<ApiDeps['kube']> {
  const env = getTestEnvironment(['kubernetes']).kubernetes;
  const kc = new KubeConfig();
  kc.loadFromFile(env.kubeconfig);
  return { kc, core: kc.makeApiClient(CoreV1Api), namespace: env.namespace };
}

/** `@kiln/testing`'s `eventually`, with this suite's default of 30 s. */
export const eventually = <T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 30_000,
  everyMs = 250,
): Promise<T> => pollUntil(probe, what, timeoutMs, everyMs);
