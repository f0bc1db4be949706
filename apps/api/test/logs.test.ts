/**
 * Following a running step's log over a real socket: lines arrive while the
 * step still runs and the response ends when it does. Steps run as pods on
 * tools/testenv's kube-apiserver and node agent (followed through the
 * Kubernetes API) and as local processes (followed through the store).
 */
import type { PipelineSpec } from '@kiln/ir';
import { executionKey } from '@kiln/engine/client';
import { liveLogPrefix } from '@kiln/launcher';
import { eventually, startApi, tokens, type ApiHarness } from './support/harness';

let api: ApiHarness;
let base: string;

beforeAll(async () => {
  api = await startApi({ worker: true, kubernetes: true });
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
      talk: { name: 'talk', inputs: {}, outputs: {}, implementation: { type: 'container', image: 'busybox', command: ['sh', '-c', script] } },
    },
    root: { tasks: { talk: { type: 'task', component: 'talk', inputs: {}, dependsOn: [], settings: {} } } },
    outputs: {},
  };
}

async function startRun(spec: PipelineSpec, executor: 'local' | 'kubernetes'): Promise<string> {
  const res = await api.call('POST', '/runs', { role: 'operator', body: { spec, executor } });
  expect(res.statusCode).toBe(201);
  return res.json().runId as string;
}

async function taskState(runId: string): Promise<string | undefined> {
  const run = (await api.call('GET', `/runs/${runId}`, { role: 'viewer' })).json();
  return run.tasks?.find((t: { id: string }) => t.id === 'talk')?.state;
}

async function untilRunning(runId: string): Promise<void> {
  await eventually(async () => ((await taskState(runId)) === 'running' ? true : undefined), `${runId}: talk to be running`, 90_000);
}

/** Reads a streamed response, noting the task's state and what had arrived when `marker` first arrives. */
async function follow(
  runId: string,
  marker: string,
): Promise<{ text: string; source: string | null; stateAtMarker?: string; textAtMarker?: string; chunks: number }> {
  const response = await fetch(`${base}/runs/${runId}/tasks/talk/logs?follow=true&waitSeconds=120`, { headers: { authorization: `Bearer ${tokens.viewer}` } });
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

test('a Kubernetes step\'s log streams while the pod runs, and the response ends when it does', async () => {
  const runId = await startRun(shellSpec('logs-k8s', 'for i in 1 2 3 4 5 6; do echo "line $i"; sleep 1; done'), 'kubernetes');
  await untilRunning(runId);

  const followed = await follow(runId, 'line 1');

  expect(followed.source).toBe('live');
  expect(followed.stateAtMarker).toBe('running'); // the first line arrived before the step ended
  expect(followed.chunks).toBeGreaterThan(1);
  expect(followed.text).toBe('line 1\nline 2\nline 3\nline 4\nline 5\nline 6\n');
  // The pod's main container is done; the step ends as soon as its outputs are published.
  await eventually(async () => ((await taskState(runId)) === 'succeeded' ? true : undefined), 'talk to succeed', 60_000);
  const saved = await api.call('GET', `/runs/${runId}/tasks/talk/logs`, { role: 'viewer' });
  expect(saved.headers['x-kiln-log-source']).toBe('saved');
  expect(saved.body).toContain('line 6');
});

test('a local step is followed through the store: its lines arrive while it runs, then the rest of the saved log', async () => {
  // Not the Kubernetes test's script: the run would be a cache hit of that one.
  const runId = await startRun(shellSpec('logs-local', 'for i in 1 2 3 4 5 6; do echo "local line $i"; sleep 1; done'), 'local');
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
  for await (const key of api.store.list(liveLogPrefix(executionKey(runId, 'talk', [], 1)))) chunksLeft.push(key);
  expect(chunksLeft).toEqual([]);
});

test('following an attempt that already ended answers its saved log at once', async () => {
  const runId = await startRun(shellSpec('logs-done', 'echo quick'), 'local');
  await eventually(async () => ((await taskState(runId)) === 'succeeded' ? true : undefined), 'talk to succeed', 90_000);
  const followed = await follow(runId, 'quick');
  expect(followed.source).toBe('saved');
  expect(followed.text).toContain('quick');
});
