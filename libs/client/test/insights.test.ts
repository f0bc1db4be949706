/**
 * The client's reads for the web UI against real servers (the Kiln API as its
 * own process, the Temporal dev server, a real worker): run events, loop
 * iterations, metrics of many runs and experiments over the API; metrics
 * straight on Temporal too, and a clear refusal for what only the API serves.
 */
import { openStore } from '@kiln/artifacts';
import { artifact, param, parallelFor, pipeline, python, component } from '@kiln/dsl';
import { randomUUID } from 'node:crypto';
import { createKilnClient, KilnApiError, type KilnClient, type RunEvent } from '../src/index';
import { eventually, startServers, type Servers } from './support/servers';

const square = component({
  name: 'square',
  image: 'busybox',
  inputs: { n: param.int() },
  outputs: { sq: param.int() },
  command: ({ inputs, outputs }) => ['sh', '-c', 'echo $(($0 * $0)) > "$1"', inputs.n, outputs.sq.path],
});
const score = python({
  name: 'score',
  image: 'python:3.11-slim',
  inputs: { factor: param.float() },
  outputs: { metrics: artifact.metrics() },
  source: 'def score(factor, metrics):\n    metrics.log_metric("score", factor * 2)\n',
});
const looped = pipeline({ name: 'client-insights', params: { factor: param.float() } }, ({ factor }) => {
  score({ factor });
  parallelFor([1, 2, 3], (n) => square({ n }));
});

let servers: Servers;
let api: KilnClient;
let temporal: KilnClient;
const experiment = `client-insights-${randomUUID().slice(0, 8)}`;
const events: RunEvent[] = [];
let runA: string;
let runB: string;

beforeAll(async () => {
  servers = await startServers();
  api = createKilnClient({ api: { url: servers.api.url, token: servers.api.tokens.admin } });
  temporal = createKilnClient({
    temporal: {
      address: servers.temporal.address,
      namespace: servers.temporal.namespace,
      taskQueue: servers.taskQueue,
      store: openStore(servers.storeUrl),
    },
  });
  const a = await api.runs.start(looped, { factor: 1 }, { experiment, cache: false });
  runA = a.runId;
  for await (const event of api.runs.events(runA)) events.push(event);
  const b = await api.runs.start(looped, { factor: 4 }, { experiment, cache: false });
  runB = b.runId;
  await b.result();
}, 180_000);
afterAll(async () => {
  await api?.close();
  await temporal?.close();
  await servers?.close();
});

test('runs.events streams a snapshot, the changes, and ends with the run', () => {
  expect(events[0]?.event).toBe('snapshot');
  expect(events.at(-1)).toEqual({ event: 'end', data: { state: 'SUCCEEDED', reason: 'ended' } });
  const finished = events
    .flatMap((e) => (e.event === 'tasks' ? e.data.tasks : []))
    .filter((t) => t.state === 'succeeded');
  expect(finished.map((t) => `${t.id}${t.iteration ? `[${t.iteration.join(',')}]` : ''}`).sort()).toEqual(
    expect.arrayContaining(['score', 'square[0]', 'square[1]', 'square[2]']),
  );
});

test('runs.iterations pages a loop task by index with its outputs', async () => {
  const first = await api.runs.iterations(runA, 'square', { pageSize: 2 });
  expect(first.iterations.map((e) => e.outputs.params['sq'])).toEqual([1, 4]);
  expect(first).toMatchObject({ total: 3, counts: { succeeded: 3 } });
  const second = await api.runs.iterations(runA, 'square', { pageSize: 2, pageToken: first.nextPageToken ?? '' });
  expect(second.iterations.map((e) => e.iteration)).toEqual([[2]]);
  expect(second.nextPageToken).toBeUndefined();
});

test('runs.metrics answers the same over the API and straight on Temporal', async () => {
  const overApi = await api.runs.metrics([runA, runB, 'kiln-no-such-run']);
  expect(overApi.missing).toEqual(['kiln-no-such-run']);
  expect(
    overApi.runs.map((r) => [r.params['factor'], r.metrics.map((m) => `${m.taskId}.${m.name}=${m.value}`)]),
  ).toEqual([
    [1, ['score.score=2']],
    [4, ['score.score=8']],
  ]);
  expect(await temporal.runs.metrics([runA, runB, 'kiln-no-such-run'])).toEqual(overApi);
});

test('runs.experiments lists the experiment with its runs', async () => {
  const found = await eventually(async () => {
    const { experiments } = await api.runs.experiments({ pipeline: 'client-insights' });
    const mine = experiments.find((e) => e.name === experiment);
    return mine?.runs === 2 ? mine : undefined;
  }, `${experiment} with two runs`);
  expect(found.pipelines).toEqual(['client-insights']);
});

test('straight on Temporal, what only the API serves is refused with the reason', async () => {
  await expect(temporal.runs.iterations(runA, 'square')).rejects.toThrow(KilnApiError);
  await expect(temporal.runs.experiments()).rejects.toThrow(/use createKilnClient\(\{ api \}\)/);
  expect(() => temporal.runs.events(runA)).toThrow(/streaming run events is not available/);
});
