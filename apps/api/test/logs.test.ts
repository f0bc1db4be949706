/**
 * Following a running step's log over a real socket: lines arrive while the
 * step still runs and the response ends when it does. Steps run as pods on
 * tools/testenv's kube-apiserver and node agent (followed through the
 * Kubernetes API) and as local processes (followed through the store).
 */
import type { PipelineSpec } from '@kiln/ir';
import { executionKey, liveLogPrefix } from '@kiln/store-layout';
import { readdir, readlink } from 'node:fs/promises';
import { eventually, startApi, tokens, type ApiHarness } from './support/harness';

let api: ApiHarness;
let base: string;
/** The API's log lines (pino JSON): a follow logs "log follow ended" with its outcome when its server side is done. */
const logLines: string[] = [];

beforeAll(async () => {
  api = await startApi({ worker: true, kubernetes: true, logLines });
  base = await api.listen();
});
afterAll(async () => api?.close());

/** One task, `talk`, running `script` with sh. */
function shellSpec(name: string, script: string): PipelineSpec {
  return {
    schemaVersion: '1.0',
    pipeline: { name },
    params: {},
    settings: {},
    components: {
      talk: {
        name: 'talk',
        inputs: {},
        outputs: {},
        implementation: { type: 'container', image: 'busybox', command: ['sh', '-c', script] },
      },
    },
    root: { tasks: { talk: { type: 'task', component: 'talk', inputs: {}, dependsOn: [], settings: {} } } },
    outputs: {},
  };
}

async function startRun(spec: PipelineSpec, executor: 'local' | 'kubernetes'): Promise<string> {
  // Inline IR needs the role that uploads pipelines.
  const res = await api.call('POST', '/runs', { role: 'admin', body: { spec, executor } });
  expect(res.statusCode).toBe(201);
  return res.json().runId as string;
}

async function taskState(runId: string): Promise<string | undefined> {
  const run = (await api.call('GET', `/runs/${runId}`, { role: 'viewer' })).json();
  return run.tasks?.find((t: { id: string }) => t.id === 'talk')?.state;
}

async function untilRunning(runId: string): Promise<void> {
  await eventually(
    async () => ((await taskState(runId)) === 'running' ? true : undefined),
    `${runId}: talk to be running`,
    90_000,
  );
}

/** Reads a streamed response, noting the task's state and what had arrived when `marker` first arrives. */
async function follow(
  runId: string,
  marker: string,
): Promise<{ text: string; source: string | null; stateAtMarker?: string; textAtMarker?: string; chunks: number }> {
  const response = await fetch(`${base}/runs/${runId}/tasks/talk/logs?follow=true&waitSeconds=120`, {
    headers: { authorization: `Bearer ${tokens.viewer}` },
  });
  expect(response.status).toBe(200);
  const decoder = new TextDecoder();
  let text = '';
  let chunks = 0;
  let stateAtMarker: string | undefined;
  let textAtMarker: string | undefined;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    text += decoder.decode(chunk, { stream: true });
    chunks++;
    if (stateAtMarker === undefined && text.includes(marker)) {
      textAtMarker = text;
      stateAtMarker = await taskState(runId);
    }
  }
  return { text, source: response.headers.get('x-kiln-log-source'), stateAtMarker, textAtMarker, chunks };
}

test("a Kubernetes step's log streams while the pod runs, and the response ends when it does", async () => {
  const runId = await startRun(
    shellSpec('logs-k8s', 'for i in 1 2 3 4 5 6; do echo "line $i"; sleep 1; done'),
    'kubernetes',
  );
  await untilRunning(runId);

  const followed = await follow(runId, 'line 1');

  expect(followed.source).toBe('live');
  expect(followed.stateAtMarker).toBe('running'); // the first line arrived before the step ended
  expect(followed.chunks).toBeGreaterThan(1);
  expect(followed.text).toBe('line 1\nline 2\nline 3\nline 4\nline 5\nline 6\n');
  // The pod's main container is done; the step ends as soon as its outputs are published.
  await eventually(
    async () => ((await taskState(runId)) === 'succeeded' ? true : undefined),
    'talk to succeed',
    60_000,
  );
  const saved = await api.call('GET', `/runs/${runId}/tasks/talk/logs`, { role: 'viewer' });
  expect(saved.headers['x-kiln-log-source']).toBe('saved');
  expect(saved.body).toContain('line 6');
});

test('a local step is followed through the store: its lines arrive while it runs, then the rest of the saved log', async () => {
  // Not the Kubernetes test's script: the run would be a cache hit of that one.
  const runId = await startRun(
    shellSpec('logs-local', 'for i in 1 2 3 4 5 6; do echo "local line $i"; sleep 1; done'),
    'local',
  );
  await untilRunning(runId);

  // The launcher puts what the step's log grew by into the store about every second (live chunks, see src/runs/logs.ts).
  const followed = await follow(runId, 'local line 1');

  expect(followed.source).toBe('live');
  expect(followed.stateAtMarker).toBe('running');
  // The first line arrived seconds before the last was printed, not with the log saved at the end.
  expect(followed.textAtMarker).not.toContain('local line 5');
  expect(followed.chunks).toBeGreaterThan(1);
  const saved = (await api.call('GET', `/runs/${runId}/tasks/talk/logs`, { role: 'viewer' })).body;
  expect(saved).toContain('local line 6');
  // The chunks are a prefix of the saved log and only the rest of it follows them: the whole log, once.
  expect(followed.text).toBe(saved);
  // Once the whole log is saved the launcher removes the chunks.
  const chunksLeft: string[] = [];
  for await (const key of api.store.list(liveLogPrefix(executionKey({ runId, taskId: 'talk', attempt: 1 }))))
    chunksLeft.push(key);
  expect(chunksLeft).toEqual([]);
});

test('following an attempt that already ended answers its saved log at once', async () => {
  const runId = await startRun(shellSpec('logs-done', 'echo quick'), 'local');
  await eventually(
    async () => ((await taskState(runId)) === 'succeeded' ? true : undefined),
    'talk to succeed',
    90_000,
  );
  const followed = await follow(runId, 'quick');
  expect(followed.source).toBe('saved');
  expect(followed.text).toContain('quick');
});

/** The "log follow ended" entry the API logged for `runId`, if any. */
function followEnded(runId: string): { outcome: string } | undefined {
  for (const line of logLines) {
    const entry = JSON.parse(line) as { msg?: string; runId?: string; outcome?: string };
    if (entry.msg === 'log follow ended' && entry.runId === runId) return { outcome: entry.outcome ?? '' };
  }
  return undefined;
}

/** Files of the store this process has open (the file store reads through fs streams). */
async function openStoreFiles(): Promise<string[]> {
  const open: string[] = [];
  for (const fd of await readdir('/proc/self/fd')) {
    const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
    if (target.startsWith(api.dir)) open.push(target);
  }
  return open;
}

test('a client that goes away mid-follow of a chatty step stops the follow on the server', async () => {
  // About 2 MB a second: far more than the socket buffers hold, so the follow waits on a full response when the client leaves.
  const runId = await startRun(
    shellSpec('logs-gone', 'while true; do yes "chatty line of a busy step" | head -c 2000000; sleep 0.5; done'),
    'local',
  );
  try {
    await untilRunning(runId);
    const client = new AbortController();
    const response = await fetch(`${base}/runs/${runId}/tasks/talk/logs?follow=true&waitSeconds=120`, {
      headers: { authorization: `Bearer ${tokens.viewer}` },
      signal: client.signal,
    });
    expect(response.headers.get('x-kiln-log-source')).toBe('live');
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    expect((await reader.read()).value?.length).toBeGreaterThan(0);
    // Stop reading while the step keeps printing, then leave.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(followEnded(runId)).toBeUndefined();
    client.abort();

    const ended = await eventually(async () => followEnded(runId), 'the follow to end on the server', 15_000);
    expect(ended.outcome).toBe('client-gone');
    // Nothing of the step's log is still being read for it.
    const chunks = liveLogPrefix(executionKey({ runId, taskId: 'talk', attempt: 1 }));
    await eventually(
      async () => ((await openStoreFiles()).some((file) => file.includes(chunks.slice(0, -1))) ? undefined : true),
      'the store reads to close',
      5_000,
    );
  } finally {
    await api.client.workflow.getHandle(runId).terminate('test done');
  }
}, 120_000);

test('a task of a terminated run counts as ended: its log is the saved one or none, and a follow ends promptly', async () => {
  // Ignores SIGTERM, so that the step's process (and its saved log) outlives the run by the launcher's grace period.
  const runId = await startRun(
    shellSpec('logs-terminated', 'trap "" TERM; for i in $(seq 1 120); do echo "tick $i"; sleep 0.5; done'),
    'local',
  );
  await untilRunning(runId);
  const following = follow(runId, 'tick 1');
  const chunks = liveLogPrefix(executionKey({ runId, taskId: 'talk', attempt: 1 }));
  await eventually(
    async () => {
      for await (const key of api.store.list(chunks)) return key;
      return undefined;
    },
    'the first live chunk',
    15_000,
  );

  await api.client.workflow.getHandle(runId).terminate('test: terminated mid-step');
  const terminatedAt = Date.now();
  // The status query still reports the task running; the run's Temporal status says it is over.
  const asked = await api.call('GET', `/runs/${runId}/tasks/talk/logs?follow=true&waitSeconds=60`, { role: 'viewer' });
  expect(asked.headers['x-kiln-log-source']).not.toBe('live');
  if (asked.statusCode === 404) expect(asked.json().error.message).toContain('the run ended (TERMINATED)');
  else expect(asked.headers['x-kiln-log-source']).toBe('saved');

  const followed = await following;
  expect(Date.now() - terminatedAt).toBeLessThan(20_000); // not the 120 s the follow asked for
  expect(followed.text).toContain('tick 1');
  expect(followed.text).not.toContain('stopped following');
  // Saved or nothing: the whole saved log once (if the launcher saved it before the follow saw the run end), or the lines followed and a last word.
  if (!followed.text.endsWith('[kiln] attempt 1 ended without a saved log\n')) {
    const saved = await api.call('GET', `/runs/${runId}/tasks/talk/logs`, { role: 'viewer' });
    expect(followed.text).toBe(saved.body);
  }
}, 120_000);
