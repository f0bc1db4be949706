/**
 * Measures a large loop of no-op steps end to end (not part of the test suite):
 *
 *   ADDR=127.0.0.1:7233 N=10000 P=200 node --import tsx libs/engine/tests/measure-loop.ts
 *
 * Prints wall time, the parent's history length, the first and last batch
 * children's histories, and the process's RSS. Steps are the fake no-op activity
 * of the engine tests, so this measures orchestration only.
 */
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createKilnWorker } from '@kiln/engine-worker';
import { startPipelineRun } from '@kiln/engine-client';
import { createFakeActivities } from './support/fake-activities';
import { c, dag, item, pipeline, task } from './support/ir';

const address = process.env['ADDR'] ?? '127.0.0.1:17933';
const n = Number(process.env['N'] ?? 1000);
const P = Number(process.env['P'] ?? 200);
Runtime.install({ logger: new DefaultLogger('WARN') });
const native = await NativeConnection.connect({ address });
const connection = await Connection.connect({ address });
const client = new Client({ connection });
const fake = createFakeActivities();
const taskQueue = `perf-${Date.now()}`;
const worker = await createKilnWorker({ connection: native, taskQueue, activities: fake.activities });
const running = worker.run();
const items = Array.from({ length: n }, (_, i) => i);
const spec = pipeline('perf', {
  fan: {
    type: 'loop',
    dependsOn: [],
    items: c(items),
    parallelism: P,
    body: dag({ noop: task({ value: item('fan') }) }),
  },
  gather: task({ value: { kind: 'collected', loop: 'fan', task: 'noop', output: 'out' } }, { after: ['fan'] }),
});
const t0 = Date.now();
const handle = await startPipelineRun(client, {
  taskQueue,
  spec,
  options: {
    executor: 'local',
    cache: false,
    parallelism: P,
    ...(process.env['B'] ? { loopBatchSize: Number(process.env['B']) } : {}),
  },
});
const doc = await handle.result();
const seconds = (Date.now() - t0) / 1000;
const history = await handle.fetchHistory();
const mem = process.memoryUsage();
const ms = (e: NonNullable<typeof history.events>[number] | undefined) =>
  Number(e?.eventTime?.seconds) * 1000 + Math.floor((e?.eventTime?.nanos ?? 0) / 1e6);
const evs = history.events ?? [];
const t00 = ms(evs[0]);
const inits = evs.filter((e) => e.startChildWorkflowExecutionInitiatedEventAttributes).map((e) => ms(e) - t00);
const dones = evs.filter((e) => e.childWorkflowExecutionCompletedEventAttributes).map((e) => ms(e) - t00);
const wfts = evs.filter((e) => e.workflowTaskCompletedEventAttributes).length;
console.log('inits', inits.slice(0, 4), inits.slice(-4), 'dones', dones.slice(0, 4), dones.slice(-4), 'wfts', wfts);
const kids = doc.tasks.find((t) => t.batched)?.batched?.childWorkflowIds ?? [];
for (const id of [kids[0], kids[kids.length - 1]]) {
  if (!id) continue;
  const h = await client.workflow.getHandle(id).fetchHistory();
  const e2 = h.events ?? [];
  console.log(
    id,
    'events',
    e2.length,
    'span',
    ms(e2[e2.length - 1]) - ms(e2[0]),
    'first WFT',
    ms(e2[3]) - ms(e2[2]),
    'input bytes',
    e2[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0]?.data?.length,
  );
}
console.log(
  JSON.stringify({
    n,
    P,
    seconds,
    state: doc.state,
    parentEvents: history.events?.length,
    rssMB: Math.round(mem.rss / 1e6),
    calls: fake.log.calls.length,
    maxConcurrent: fake.log.maxConcurrent,
  }),
);
worker.shutdown();
await running;
await connection.close();
await native.close();
