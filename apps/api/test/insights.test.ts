/**
 * The routes the web UI reads besides runs, on real servers (Temporal dev
 * server, a real worker with the local executor, a file:// store): a loop
 * task's iterations (plain and in child-workflow batches), the metrics of many
 * runs, a run's live event stream, and the experiments list.
 */
import { artifact, compile, component, param, parallelFor, pipeline as definePipeline, python } from '@kiln/dsl';
import { startPipelineRun } from '@kiln/engine-client';
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import type { RunResource } from '@kiln/api-contract';
import { BatchStatusReader } from '../src/insights/batch-status';
import { listIterations } from '../src/insights/iterations';
import { helloSpec } from './support/fixtures';
import { eventually, startApi, tokens, type ApiHarness } from './support/harness';

let api: ApiHarness;
// Unique per test run: the Temporal server's visibility keeps runs of earlier test runs.
const experiment = `exp-insights-${randomUUID().slice(0, 8)}`;

const square = component({
  name: 'square',
  image: 'busybox',
  inputs: { n: param.int() },
  outputs: { sq: param.int() },
  command: ({ inputs, outputs }) => [
    'sh',
    '-c',
    'if [ "$0" = 4 ]; then echo "four is unlucky" >&2; exit 4; fi; echo $(($0 * $0)) > "$1"',
    inputs.n,
    outputs.sq.path,
  ],
});
const score = python({
  name: 'score',
  image: 'python:3.11-slim',
  inputs: { factor: param.float() },
  outputs: { metrics: artifact.metrics() },
  source:
    'def score(factor, metrics):\n    metrics.log_metric("score", factor * 2)\n    metrics.log_metric("half", factor / 2)\n',
});
const loopPipeline = definePipeline(
  { name: 'insights-loop', params: { factor: param.float({ default: 1 }) } },
  ({ factor }) => {
    score({ factor });
    parallelFor([0, 1, 2, 3, 4, 5, 6], (n) => square({ n }), { parallelism: 3 });
  },
);
const spec = compile(loopPipeline);

async function start(params: Record<string, unknown>, experiment: string): Promise<string> {
  const res = await api.call('POST', '/runs', {
    role: 'operator',
    // No step cache: every run runs every step, so states and timings are its own.
    body: { pipeline: { name: 'insights-loop', version: '1' }, params, experiment, cache: false },
  });
  expect(res.statusCode).toBe(201);
  return res.json().runId as string;
}

async function ended(runId: string) {
  return eventually(
    async () => {
      const run = (await api.call('GET', `/runs/${runId}`, { role: 'viewer' })).json();
      return run.temporal?.status !== 'RUNNING' && run.state !== 'RUNNING' ? run : undefined;
    },
    `run ${runId} to end`,
    120_000,
    300,
  );
}

interface Entry {
  iteration: number[];
  state: string;
  outputs: { params: Record<string, unknown> };
  attemptHistory?: { failureClass?: string; exitCode?: number; state: string }[];
}

const iterations = async (runId: string, query: string) => {
  const res = await api.call('GET', `/runs/${runId}/tasks/square/iterations?${query}`, { role: 'viewer' });
  expect(res.statusCode).toBe(200);
  return res.json() as {
    total: number;
    matching: number;
    counts: Record<string, number>;
    iterations: Entry[];
    nextPageToken?: string;
  };
};

/** Every page of iterations, following nextPageToken. */
async function allPages(runId: string, query: string): Promise<Entry[][]> {
  const pages: Entry[][] = [];
  let token: string | undefined;
  do {
    const page = await iterations(runId, `${query}${token ? `&pageToken=${token}` : ''}`);
    pages.push(page.iterations);
    token = page.nextPageToken;
  } while (token && pages.length < 20);
  return pages;
}

let runA: string;
let runB: string;
let batched: string;

beforeAll(async () => {
  // Low stream caps, so the cap test needs only a few open streams.
  api = await startApi({ worker: true, limits: { eventStreamsPerToken: 3, eventStreams: 4 } });
  const upload = await api.call('POST', '/pipelines?version=1', {
    rawBody: JSON.stringify(spec),
    contentType: 'application/json',
  });
  expect(upload.statusCode).toBe(201);
  runA = await start({ factor: 1 }, experiment);
  runB = await start({ factor: 3 }, experiment);
  // The same loop in child-workflow batches of 3 iterations (b0: 0-2, b1: 3-5, b2: 6).
  const handle = await startPipelineRun(api.client, {
    taskQueue: api.taskQueue,
    spec,
    params: { factor: 2 },
    options: { loopBatchSize: 3, cache: false },
  });
  batched = handle.workflowId;
  await Promise.all([ended(runA), ended(runB), ended(batched)]);
}, 240_000);
afterAll(async () => api?.close());

describe('GET /runs/:runId/tasks/:taskId/iterations', () => {
  test.each([
    ['a plain loop', () => runA],
    ['a loop in child-workflow batches', () => batched],
  ])('pages %s by loop index with outputs, and filters by state', async (_what, runOf) => {
    const runId = runOf();
    const pages = await allPages(runId, 'pageSize=2');
    expect(pages.map((page) => page.map((e) => e.iteration[0]))).toEqual([[0, 1], [2, 3], [4, 5], [6]]);
    const entries = pages.flat();
    expect(entries.map((e) => e.outputs.params['sq'])).toEqual([0, 1, 4, 9, undefined, 25, 36]);

    const first = await iterations(runId, 'pageSize=2');
    expect(first).toMatchObject({ total: 7, matching: 7, counts: { succeeded: 6, failed: 1 } });

    const failed = await iterations(runId, 'state=failed');
    expect(failed).toMatchObject({ matching: 1 });
    expect(failed.nextPageToken).toBeUndefined();
    expect(failed.iterations).toHaveLength(1);
    expect(failed.iterations[0]).toMatchObject({ iteration: [4], state: 'failed' });
    expect(failed.iterations[0]?.attemptHistory).toEqual([
      expect.objectContaining({ state: 'failed', failureClass: 'user', exitCode: 4 }),
    ]);

    const succeeded = await allPages(runId, 'state=succeeded&pageSize=4');
    expect(succeeded.map((page) => page.map((e) => e.iteration[0]))).toEqual([
      [0, 1, 2, 3],
      [5, 6],
    ]);
  });

  test('a shared read from just before a batched run closed is read again, so the last batches still count', async () => {
    // The stale read is built by hand: the moment it stands for (an event stream's read a few
    // hundred ms before the close) cannot be hit on purpose with the real servers.
    const final = (await api.call('GET', `/runs/${batched}`, { role: 'viewer' })).json() as RunResource;
    const stale: RunResource = {
      ...final,
      state: 'RUNNING',
      tasks: final.tasks.filter((t) => !(t.id === 'square' && t.batched)),
    };
    const asked: boolean[] = [];
    const readRun = async (_runId: string, fresh?: boolean) => {
      asked.push(Boolean(fresh));
      return fresh ? final : stale;
    };
    const page = await listIterations(readRun, new BatchStatusReader(api.client), {
      runId: batched,
      taskId: 'square',
      pageSize: 10,
    });
    expect(asked).toEqual([false, true]);
    expect(page).toMatchObject({ total: 7, matching: 7, counts: { succeeded: 6, failed: 1 } });
    expect(page.iterations.map((e) => e.iteration?.[0])).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  test('answers 404 for a task the run lacks, 422 for one outside a loop and for a bad page token', async () => {
    expect((await api.call('GET', `/runs/${runA}/tasks/nope/iterations`, { role: 'viewer' })).statusCode).toBe(404);
    const outside = await api.call('GET', `/runs/${runA}/tasks/score/iterations`, { role: 'viewer' });
    expect(outside.statusCode).toBe(422);
    expect(outside.json().error.message).toContain('not inside a loop');
    const token = await api.call('GET', `/runs/${runA}/tasks/square/iterations?pageToken=bm9wZQ`, { role: 'viewer' });
    expect(token.statusCode).toBe(422);
    expect(token.json().error.message).toContain('pageToken');
  });
});

describe('GET /runs/metrics', () => {
  test("answers each run's parameters and metrics in the order asked, and names the missing ones", async () => {
    const res = await api.call('GET', `/runs/metrics?runIds=${runB},kiln-no-such-run,${runA}`, { role: 'viewer' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.missing).toEqual(['kiln-no-such-run']);
    expect(body.runs.map((r: { runId: string }) => r.runId)).toEqual([runB, runA]);
    expect(body.runs[0]).toMatchObject({
      params: { factor: 3 },
      experiment,
      state: 'FAILED',
      pipeline: { name: 'insights-loop' },
    });
    const metricsOf = (run: { metrics: { taskId: string; output: string; name: string; value: number }[] }) =>
      run.metrics.map((m) => `${m.taskId}.${m.output}.${m.name}=${m.value}`).sort();
    expect(metricsOf(body.runs[0])).toEqual(['score.metrics.half=1.5', 'score.metrics.score=6']);
    expect(metricsOf(body.runs[1])).toEqual(['score.metrics.half=0.5', 'score.metrics.score=2']);
  });

  test('refuses an empty list and more run ids than it compares', async () => {
    expect((await api.call('GET', '/runs/metrics?runIds=', { role: 'viewer' })).statusCode).toBe(422);
    const many = Array.from({ length: 51 }, (_, i) => `kiln-r${i}`).join(',');
    const res = await api.call('GET', `/runs/metrics?runIds=${many}`, { role: 'viewer' });
    expect(res.statusCode).toBe(422);
    expect(JSON.stringify(res.json())).toContain('at most 50');
  });
});

interface StreamedEvent {
  event: string;
  data: Record<string, unknown>;
}

/** Sends a request on a raw socket and closes it at once, before any answer. */
function hangUpEarly(host: string, port: number, path: string, token: string): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(port, host, () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${token}\r\n\r\n`, () =>
        socket.destroy(),
      );
    });
    socket.once('close', () => resolve());
    socket.once('error', () => resolve());
  });
}

/** Reads a whole event stream over a real socket (it ends when the run does). */
async function readEvents(url: string): Promise<{ status: number; type: string | null; events: StreamedEvent[] }> {
  const res = await fetch(url, { headers: { authorization: 'Bearer test-viewer-token' } });
  const text = await res.text();
  const events = text
    .split('\n\n')
    .filter((block) => block.includes('event: '))
    .map((block) => {
      const lines = block.split('\n');
      const event = lines.find((l) => l.startsWith('event: '))?.slice(7) ?? '';
      const data = JSON.parse(lines.find((l) => l.startsWith('data: '))?.slice(6) ?? '{}') as Record<string, unknown>;
      return { event, data };
    });
  return { status: res.status, type: res.headers.get('content-type'), events };
}

describe('GET /runs/:runId/events', () => {
  test('streams a snapshot, the task-state changes as they happen, and ends with the run', async () => {
    const base = await api.listen();
    const runId = await start({ factor: 5 }, 'exp-events');
    const { status, type, events } = await readEvents(`${base}/runs/${runId}/events`);
    expect(status).toBe(200);
    expect(type).toContain('text/event-stream');
    expect(events[0]?.event).toBe('snapshot');
    expect(events[0]?.data['runId']).toBe(runId);
    expect(events.at(-1)).toEqual({ event: 'end', data: { state: 'FAILED', reason: 'ended' } });
    // Every task's end reached the stream: the last state sent for each iteration is its final one.
    const last = new Map<string, string>();
    for (const e of events) {
      const tasks = (e.event === 'snapshot' || e.event === 'tasks' ? e.data['tasks'] : []) as {
        id: string;
        iteration?: number[];
        state: string;
      }[];
      for (const t of tasks) last.set(`${t.id}[${(t.iteration ?? []).join(',')}]`, t.state);
    }
    expect(last.get('square[4]')).toBe('failed');
    expect(last.get('square[6]')).toBe('succeeded');
    expect(last.get('score[]')).toBe('succeeded');
    expect(events.some((e) => e.event === 'run' && e.data['state'] === 'FAILED')).toBe(true);
  }, 120_000);

  test('a closed run streams its snapshot and ends at once; a missing run is a JSON 404', async () => {
    const base = await api.listen();
    const { events } = await readEvents(`${base}/runs/${runA}/events`);
    expect(events.map((e) => e.event)).toEqual(['snapshot', 'end']);
    const missing = await api.call('GET', '/runs/kiln-no-such-run/events', { role: 'viewer' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('not-found');
    expect((await api.call('GET', `/runs/${runA}/events`, { role: null })).statusCode).toBe(401);
  });

  test('open streams are capped per token and in all: a JSON 429 naming the setting, and a closed stream frees its slot', async () => {
    const base = await api.listen();
    const started = await api.call('POST', '/runs', {
      role: 'admin',
      body: { spec: helloSpec('insights-nap'), params: { sleepSeconds: 60 }, cache: false },
    });
    expect(started.statusCode).toBe(201);
    const runId = started.json().runId as string;
    const aborts: AbortController[] = [];
    const open = async (role: 'viewer' | 'operator') => {
      const abort = new AbortController();
      aborts.push(abort);
      const res = await fetch(`${base}/runs/${runId}/events`, {
        headers: { authorization: `Bearer ${tokens[role]}` },
        signal: abort.signal,
      });
      return { res, abort };
    };
    try {
      const viewers = [await open('viewer'), await open('viewer'), await open('viewer')];
      expect(viewers.map((v) => v.res.status)).toEqual([200, 200, 200]);
      const overToken = await open('viewer');
      expect(overToken.res.status).toBe(429);
      const body = (await overToken.res.json()) as { error: { code: string; message: string; details: unknown } };
      expect(body.error.code).toBe('too-many-requests');
      expect(body.error.message).toContain('KILN_API_MAX_EVENT_STREAMS_PER_TOKEN');
      expect(body.error.details).toEqual({ limit: 'eventStreamsPerToken', max: 3 });
      // Another token may open one more, up to the cap in all.
      expect((await open('operator')).res.status).toBe(200);
      const overAll = await open('operator');
      expect(overAll.res.status).toBe(429);
      expect(((await overAll.res.json()) as { error: { message: string } }).error.message).toContain(
        'KILN_API_MAX_EVENT_STREAMS',
      );
      // Closing a stream gives its slot back.
      viewers[0]?.abort.abort();
      const again = await eventually(async () => {
        const next = await open('viewer');
        if (next.res.status === 200) return next;
        next.abort.abort();
        return undefined;
      }, 'a freed slot');
      expect(again.res.status).toBe(200);
      // Clients that hang up while their first read is in flight still give their slots back.
      for (const abort of aborts.splice(0)) abort.abort();
      const { hostname, port } = new URL(base);
      await Promise.all(
        Array.from({ length: 10 }, () => hangUpEarly(hostname, Number(port), `/runs/${runId}/events`, tokens.viewer)),
      );
      const reopened = await eventually(async () => {
        const three = [await open('viewer'), await open('viewer'), await open('viewer')];
        if (three.every((s) => s.res.status === 200)) return three;
        for (const s of three) s.abort.abort();
        return undefined;
      }, 'three slots free again');
      expect(reopened).toHaveLength(3);
    } finally {
      for (const abort of aborts) abort.abort();
      await api.call('POST', `/runs/${runId}/cancel`, { role: 'operator' });
    }
  }, 120_000);
});

describe('GET /experiments', () => {
  test('lists the experiments runs were started under, with their run counts', async () => {
    const list = await eventually(async () => {
      const body = (await api.call('GET', '/experiments?pipeline=insights-loop', { role: 'viewer' })).json();
      const found = body.experiments?.find((e: { name: string }) => e.name === experiment);
      return found?.runs >= 2 ? body : undefined;
    }, `${experiment} in the experiments list`);
    expect(list.complete).toBe(true);
    expect(list.experiments.find((e: { name: string }) => e.name === experiment)).toMatchObject({
      runs: 2,
      pipelines: ['insights-loop'],
      lastStartedAt: expect.any(String),
    });
  });
});
