/**
 * The hand-written reference for the API load test: the same number of concurrent runs of an
 * N-step chain of no-op processes, as plain Temporal workflows (`handChain` of the engine
 * benchmark: one activity per step spawning `true`) on one worker with the same number of
 * activity slots, started with the Temporal client (no HTTP API, no store, no status document).
 * Run by run.ts as a process of its own; prints one JSON line:
 * `{ "wallMs", "startedAllMs", "runs", "failed" }` (first start → last result).
 *
 *   node --import tsx tools/bench/api-load/hand.ts <temporal-address> <namespace> <runs> <steps> <activity-slots>
 */
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { handActivities } from '../engine/hand-activity';
import type { handChain } from '../engine/hand-workflow';

const [address = '', namespace = 'default', runsText = '100', stepsText = '5', slotsText = '8'] = process.argv.slice(2);
const runs = Number(runsText);
const steps = Number(stepsText);
const taskQueue = `kiln-api-load-hand-${randomUUID()}`;

Runtime.install({ logger: new DefaultLogger('WARN') });
const nativeConnection = await NativeConnection.connect({ address });
const worker = await Worker.create({
  connection: nativeConnection,
  namespace,
  taskQueue,
  workflowsPath: join(dirname(fileURLToPath(import.meta.url)), '../engine/hand-workflow.ts'),
  activities: handActivities,
  // The Kiln worker's settings in run.ts: the same activity slots and workflow cache.
  maxConcurrentActivityTaskExecutions: Number(slotsText),
  maxCachedWorkflows: 200,
});
const running = worker.run();
const connection = await Connection.connect({ address });
const client = new Client({ connection, namespace });
const start = (i: number) =>
  client.workflow.start<typeof handChain>('handChain', {
    taskQueue,
    workflowId: `${taskQueue}-${i}`,
    args: [steps, 'true'],
  });

// Warm up like run.ts does (one run alone: the worker's workflow bundle and caches are ready).
await (await start(-1)).result();
const t0 = Date.now();
const handles = await Promise.all(Array.from({ length: runs }, (_, i) => start(i)));
const startedAllMs = Date.now() - t0;
const outcomes = await Promise.allSettled(handles.map((h) => h.result()));
const wallMs = Date.now() - t0;
worker.shutdown();
await running;
await connection.close();
await nativeConnection.close();
process.stdout.write(
  `${JSON.stringify({ wallMs, startedAllMs, runs, failed: outcomes.filter((o) => o.status === 'rejected').length })}\n`,
);
