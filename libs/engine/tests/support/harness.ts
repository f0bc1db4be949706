/**
 * A real Temporal dev server (tools/testenv), a real worker running the Kiln
 * workflow bundle, and helpers to run a pipeline and read its status document.
 */
import type { JsonValue, PipelineSpec } from '@kiln/ir';
import { getTestEnvironment, type TemporalInfo } from '@kiln/testenv';
import { Client, Connection, WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { statusQuery, type KilnActivities, type RunOptions, type RunStatusDocument } from '@kiln/engine-contract';
import { createKilnWorker } from '@kiln/engine-worker';
import { startPipelineRun } from '@kiln/engine-client';
import { createFakeActivities, type FakeLog } from './fake-activities';

export interface Harness {
  temporal: TemporalInfo;
  client: Client;
  taskQueue: string;
  log: FakeLog;
  run(spec: PipelineSpec, params?: Record<string, JsonValue>, options?: RunOptions): Promise<RunResult>;
  start(spec: PipelineSpec, params?: Record<string, JsonValue>, options?: RunOptions): Promise<WorkflowHandle>;
  close(): Promise<void>;
}

export interface RunResult {
  doc: RunStatusDocument;
  workflowId: string;
  /** The failure message, when the run did not succeed. */
  error?: string;
  status: string;
}

let runtimeInstalled = false;

export async function startHarness(
  activities?: KilnActivities,
  workerOptions: { workflowStackTraces?: boolean } = {},
): Promise<Harness> {
  if (!runtimeInstalled) {
    // Worker state changes and expected activity failures would drown the test output.
    Runtime.install({ logger: new DefaultLogger('ERROR') });
    runtimeInstalled = true;
  }
  const temporal = getTestEnvironment(['temporal']).temporal;
  const fake = createFakeActivities();
  const nativeConnection = await NativeConnection.connect({ address: temporal.address });
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection, namespace: temporal.namespace });
  const taskQueue = `kiln-engine-test-${randomUUID()}`;
  const worker: Worker = await createKilnWorker({
    connection: nativeConnection,
    namespace: temporal.namespace,
    taskQueue,
    activities: activities ?? fake.activities,
    ...workerOptions,
  });
  const running = worker.run();

  const start = (spec: PipelineSpec, params: Record<string, JsonValue> = {}, options: RunOptions = {}) =>
    startPipelineRun(client, {
      taskQueue,
      spec,
      params,
      // Caching is off unless a test turns it on: tests share one in-memory cache.
      options: { executor: 'local', cache: false, infrastructureRetry: { initialIntervalSeconds: 0.05 }, ...options },
    }) as Promise<WorkflowHandle>;

  return {
    temporal,
    client,
    taskQueue,
    log: fake.log,
    start,
    async run(spec, params, options) {
      const handle = await start(spec, params, options);
      try {
        const doc = (await handle.result()) as RunStatusDocument;
        return { doc, workflowId: handle.workflowId, status: 'COMPLETED' };
      } catch (error) {
        const description = await handle.describe();
        const doc = await handle.query(statusQuery).catch(() => undefined);
        const cause = error instanceof WorkflowFailedError ? error.cause : undefined;
        const fromFailure =
          cause instanceof ApplicationFailure ? (cause.details?.[0] as RunStatusDocument | undefined) : undefined;
        const final = doc ?? fromFailure;
        if (!final) throw error;
        return {
          doc: final,
          workflowId: handle.workflowId,
          status: description.status.name,
          error: cause?.message ?? (error as Error).message,
        };
      }
    },
    async close() {
      worker.shutdown();
      await running;
      await connection.close();
      await nativeConnection.close();
    },
  };
}

/** The entries of one task id, in iteration order. */
export function tasksOf(doc: RunStatusDocument, id: string) {
  return doc.tasks.filter((t) => t.id === id && !t.batched);
}

/** `{ taskId: state }` for tasks outside loops. */
export function states(doc: RunStatusDocument): Record<string, string> {
  return Object.fromEntries(doc.tasks.filter((t) => !t.iteration && !t.batched).map((t) => [t.id, t.state]));
}
