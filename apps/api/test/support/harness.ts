/**
 * The API against real servers: the Temporal dev server from tools/testenv, a
 * file:// store in a temp folder, and (when asked) a real Kiln worker with the
 * local executor in this process. HTTP goes through fastify's `inject`.
 */
import { createLocalExecutorActivities } from '@kiln/activities';
import { openStore, type ArtifactStore } from '@kiln/artifacts';
import { createKilnWorker } from '@kiln/engine';
// eslint-disable-next-line @nx/enforce-module-boundaries -- tests run against tools/testenv's real servers
import { getTestEnvironment, type TemporalInfo } from '@kiln/testenv';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import type { Role } from '../../src/auth/roles';
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
  /** An HTTP call as `role` (or without a token when `role` is null). */
  call(method: 'GET' | 'POST' | 'DELETE', url: string, options?: { role?: Role | null; body?: unknown; rawBody?: string; contentType?: string }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

let runtimeInstalled = false;

export async function startApi(options: {
  worker: boolean;
  limits?: { pipelineBytes: number; paramsBytes: number };
  /** Capture the API's log lines here (at info level) instead of discarding them. */
  logLines?: string[];
}): Promise<ApiHarness> {
  if (!runtimeInstalled) {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    runtimeInstalled = true;
  }
  const temporal = getTestEnvironment(['temporal']).temporal;
  const dir = await mkdtemp(join(tmpdir(), 'kiln-api-test-'));
  const store = openStore(pathToFileURL(join(dir, 'store')).href);
  const taskQueue = `kiln-api-test-${randomUUID()}`;
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection, namespace: temporal.namespace });

  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  let nativeConnection: NativeConnection | undefined;
  if (options.worker) {
    nativeConnection = await NativeConnection.connect({ address: temporal.address });
    worker = await createKilnWorker({
      connection: nativeConnection,
      namespace: temporal.namespace,
      taskQueue,
      activities: createLocalExecutorActivities({ store, workRoot: join(dir, 'work'), heartbeatMs: 1000, graceMs: 2000 }),
    });
    running = worker.run();
  }

  const app = await buildServer({
    deps: {
      client,
      store,
      registry: new PipelineRegistry(store),
      taskQueue,
      limits: options.limits ?? { pipelineBytes: 5 * 1024 * 1024, paramsBytes: 256 * 1024 },
      temporalUiUrl: temporal.ui,
    },
    auth: {
      tokens: (Object.keys(tokens) as Role[]).map((role) => ({ name: `${role}-user`, role, sha256: hashToken(tokens[role]) })),
      disabled: false,
    },
    log: options.logLines ? 'info' : 'silent',
    ...(options.logLines ? { logStream: new Writable({ write: (chunk, _enc, done) => (options.logLines?.push(String(chunk)), done()) }) } : {}),
    docsUi: true,
  });

  return {
    app, client, store, temporal, taskQueue, dir,
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
      if (worker) {
        worker.shutdown();
        await running;
      }
      await nativeConnection?.close();
      await connection.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `probe` until it returns a value (not undefined) or the time is up. */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 30_000, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
