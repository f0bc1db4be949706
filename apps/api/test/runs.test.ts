/**
 * Runs through the API on real servers: the Temporal dev server, a real Kiln
 * worker with the local executor in this process, and a file:// store.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { artifact, compile, component, param, pipeline as definePipeline } from '@kiln/dsl';
import { helloSpec } from './support/fixtures';
import { eventually, startApi, tokens, type ApiHarness } from './support/harness';

let api: ApiHarness;
const pipeline = 'runs-hello';

beforeAll(async () => {
  api = await startApi({ worker: true, limits: { pipelineBytes: 5 * 1024 * 1024, paramsBytes: 2048 } });
  const res = await api.call('POST', '/pipelines?version=1', {
    rawBody: JSON.stringify(helloSpec(pipeline)),
    contentType: 'application/json',
  });
  expect(res.statusCode).toBe(201);
});
afterAll(async () => api?.close());

async function start(body: Record<string, unknown>): Promise<string> {
  // Inline IR needs the role that uploads pipelines; a stored pipeline, an operator.
  const res = await api.call('POST', '/runs', { role: body['spec'] !== undefined ? 'admin' : 'operator', body });
  expect(res.statusCode).toBe(201);
  return res.json().runId as string;
}

async function until(runId: string, states: string[]) {
  return eventually(
    async () => {
      const run = (await api.call('GET', `/runs/${runId}`, { role: 'viewer' })).json();
      // The status query answers a final state a moment before the workflow closes.
      return states.includes(run.state) && run.temporal?.status !== 'RUNNING' ? run : undefined;
    },
    `run ${runId} to reach ${states.join('|')}`,
    90_000,
    300,
  );
}

describe('a run created through the API', () => {
  let runId: string;
  beforeAll(async () => {
    runId = await start({ pipeline: { name: pipeline, version: '1' }, params: { who: 'kiln' }, experiment: 'exp-a' });
  });

  test('runs to success and its status document names every task', async () => {
    const run = await until(runId, ['SUCCEEDED', 'FAILED']);
    expect(run).toMatchObject({
      runId,
      state: 'SUCCEEDED',
      pipeline: { name: pipeline, digest: expect.stringMatching(/^sha256:/) },
      params: { who: 'kiln', sleepSeconds: 0, mode: 'fast', marker: '' },
      experiment: 'exp-a',
      temporal: { status: 'COMPLETED', ui: expect.stringContaining(`/workflows/${runId}`) },
      origin: { startedBy: 'operator-user', pipelineVersion: '1' },
    });
    expect(run.tasks.map((t: { id: string; state: string }) => `${t.id}:${t.state}`).sort()).toEqual([
      'check:succeeded',
      'greet:succeeded',
    ]);
  });

  test('its step log streams as text', async () => {
    await until(runId, ['SUCCEEDED']);
    const res = await api.call('GET', `/runs/${runId}/tasks/greet/logs`, { role: 'viewer' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.headers['x-kiln-attempt']).toBe('1');
    expect(res.body).toContain('hello kiln');
  });

  test('its output artifact downloads with its content type and digest', async () => {
    await until(runId, ['SUCCEEDED']);
    const res = await api.call('GET', `/runs/${runId}/tasks/greet/artifacts/report`, { role: 'viewer' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('# hello kiln\n');
    expect(res.headers['content-type']).toMatch(/^text\/markdown/);
    expect(res.headers['x-kiln-digest']).toBe(`sha256:${createHash('sha256').update(res.body).digest('hex')}`);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename=/);
  });

  test('is listed with filters on pipeline, experiment and status', async () => {
    await until(runId, ['SUCCEEDED']);
    const list = (query: string) =>
      api
        .call('GET', `/runs?${query}`, { role: 'viewer' })
        .then((r) => r.json().runs as { runId: string; state: string }[]);
    const found = await eventually(async () => {
      const runs = await list(`pipeline=${pipeline}&experiment=exp-a&status=SUCCEEDED`);
      return runs.find((r) => r.runId === runId);
    }, 'the run in visibility');
    expect(found).toMatchObject({
      state: 'SUCCEEDED',
      pipeline: { name: pipeline },
      experiment: 'exp-a',
      temporalStatus: 'COMPLETED',
    });
    expect((await list(`pipeline=${pipeline}&status=FAILED`)).some((r) => r.runId === runId)).toBe(false);
    expect((await list('experiment=no-such-experiment')).length).toBe(0);
  });

  test('is listed by start time: startedAfter and startedBefore bound it on the server', async () => {
    const run = (await api.call('GET', `/runs/${runId}`, { role: 'viewer' })).json() as { startedAt: string };
    const started = Date.parse(run.startedAt);
    const at = (offsetMs: number) => encodeURIComponent(new Date(started + offsetMs).toISOString());
    const listed = async (query: string) =>
      (
        (await api.call('GET', `/runs?pipeline=${pipeline}&${query}`, { role: 'viewer' })).json().runs as {
          runId: string;
        }[]
      ).some((r) => r.runId === runId);
    await eventually(async () => ((await listed(`startedAfter=${at(-60_000)}`)) ? true : undefined), 'the run listed');
    expect(await listed(`startedAfter=${at(-60_000)}&startedBefore=${at(60_000)}`)).toBe(true);
    expect(await listed(`startedAfter=${at(60_000)}`)).toBe(false);
    expect(await listed(`startedBefore=${at(-60_000)}`)).toBe(false);
    // A time with another zone names the same instant.
    const plusOne = new Date(started - 60_000 + 3_600_000).toISOString().replace('Z', '+01:00');
    expect(await listed(`startedAfter=${encodeURIComponent(plusOne)}`)).toBe(true);
  });

  test('missing tasks, outputs and runs are 404s that say what exists', async () => {
    const task = await api.call('GET', `/runs/${runId}/tasks/nope/logs`);
    expect(task.statusCode).toBe(404);
    expect(task.json().error.message).toMatch(/tasks: .*greet/);
    const output = await api.call('GET', `/runs/${runId}/tasks/greet/artifacts/nothing`);
    expect(output.statusCode).toBe(404);
    expect(output.json().error.message).toContain('outputs: report');
    expect((await api.call('GET', '/runs/kiln-no-such-run')).json()).toEqual({
      error: { code: 'not-found', message: 'run "kiln-no-such-run" not found' },
    });
    expect((await api.call('GET', `/runs/${runId}/tasks/greet/logs?attempt=5`)).statusCode).toBe(404);
  });

  test('no token appears in the workflow history or the run record', async () => {
    const run = await until(runId, ['SUCCEEDED']);
    const history = JSON.stringify(await api.client.workflow.getHandle(runId).fetchHistory());
    const record = await api.store.readText(`runs/${pipeline}/${runId}/record.json`);
    for (const token of Object.values(tokens)) {
      expect(history).not.toContain(token);
      expect(record).not.toContain(token);
    }
    expect(JSON.stringify(run)).not.toMatch(/test-(viewer|operator|admin)-token/);
  });

  test('cancel and retry of a run that succeeded are 409s', async () => {
    await until(runId, ['SUCCEEDED']);
    expect((await api.call('POST', `/runs/${runId}/cancel`, { role: 'operator' })).statusCode).toBe(409);
    const retry = await api.call('POST', `/runs/${runId}/retry`, { role: 'operator' });
    expect(retry.statusCode).toBe(409);
    expect(retry.json().error.message).toContain('succeeded');
  });
});

test('list pages through runs with page tokens', async () => {
  const name = 'runs-paged';
  // Visibility outlives the test run: a fresh experiment keeps earlier runs out of the listing.
  const experiment = `paged-${Date.now()}`;
  await api.call('POST', '/pipelines', { rawBody: JSON.stringify(helloSpec(name)), contentType: 'application/json' });
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) ids.push(await start({ pipeline: { name }, experiment }));
  await eventually(async () => {
    const res = (await api.call('GET', `/runs?pipeline=${name}&experiment=${experiment}`)).json();
    return res.runs.length === 3 ? res : undefined;
  }, 'three runs in visibility');
  const seen: string[] = [];
  let token: string | undefined;
  for (let page = 0; page < 5; page++) {
    const res = (
      await api.call(
        'GET',
        `/runs?pipeline=${name}&experiment=${experiment}&pageSize=2${token ? `&pageToken=${token}` : ''}`,
      )
    ).json();
    seen.push(...res.runs.map((r: { runId: string }) => r.runId));
    token = res.nextPageToken;
    if (!token) break;
  }
  expect(seen.sort()).toEqual([...ids].sort());
  for (const id of ids) await until(id, ['SUCCEEDED']);
});

test('an inline IR run works and is stored for later retries', async () => {
  const spec = helloSpec('runs-inline');
  const runId = await start({ spec, params: { who: 'inline' } });
  const run = await until(runId, ['SUCCEEDED', 'FAILED']);
  expect(run.state).toBe('SUCCEEDED');
  expect((await api.call('GET', `/pipelines/runs-inline/digests/${run.pipeline.digest}`)).statusCode).toBe(200);
});

describe('creating runs: errors', () => {
  const create = (body: unknown) => api.call('POST', '/runs', { role: 'operator', body });

  test('parameters of the wrong type, unknown, or outside the enum are one 422 naming each', async () => {
    const res = await create({ pipeline: { name: pipeline }, params: { who: 3, colour: 'red', mode: 'medium' } });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('invalid-params');
    expect(res.json().error.details).toEqual(
      expect.arrayContaining([
        { param: 'colour', message: expect.stringContaining('unknown parameter') },
        { param: 'who', message: 'must be string, got 3' },
        { param: 'mode', message: 'must be one of "fast", "slow", got "medium"' },
      ]),
    );
  });

  test('parameters over the size limit are a 413', async () => {
    const res = await create({ pipeline: { name: pipeline }, params: { who: 'x'.repeat(4096) } });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.message).toContain('at most 2048');
  });

  const createAsAdmin = (body: unknown) => api.call('POST', '/runs', { role: 'admin', body });

  test('both or neither of pipeline and spec is a 422', async () => {
    expect((await create({ params: {} })).json().error.message).toContain('exactly one of');
    expect((await createAsAdmin({ pipeline: { name: pipeline }, spec: helloSpec() })).statusCode).toBe(422);
  });

  test('inline IR from an operator is a 403 naming the role it needs: an operator runs only what an admin uploaded', async () => {
    const res = await create({ spec: helloSpec('operator-inline'), params: { who: 'x' } });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({
      error: {
        code: 'forbidden',
        message:
          'token "operator-user" has role operator; a run from inline IR ("spec") needs admin, the role that uploads pipelines: ' +
          'upload the pipeline (POST /pipelines) and run it by name, or ask an admin',
        details: { role: 'operator', required: 'admin' },
      },
    });
    // Nothing was stored or started for it.
    expect((await api.call('GET', '/pipelines/operator-inline')).statusCode).toBe(404);
    // The same operator may run the stored pipeline by name.
    expect((await create({ pipeline: { name: pipeline }, params: { who: 'x' } })).statusCode).toBe(201);
  });

  test('invalid inline IR is a 422 with JSON paths', async () => {
    const res = await createAsAdmin({ spec: { ...helloSpec('x'), schemaVersion: 7 } });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('invalid-pipeline');
    expect(res.json().error.details[0].path).toMatch(/^\$/);
  });

  test('unknown pipelines and versions are 404s', async () => {
    expect((await create({ pipeline: { name: 'no-such-pipeline' } })).statusCode).toBe(404);
    expect((await create({ pipeline: { name: pipeline, version: '99' } })).json().error.message).toBe(
      `pipeline ${pipeline} has no version 99`,
    );
  });

  test('unknown fields in the body are a 422 naming them', async () => {
    const res = await create({ pipeline: { name: pipeline }, prams: {} });
    expect(res.statusCode).toBe(422);
    expect(JSON.stringify(res.json().error.details)).toContain('prams');
  });

  test('a body that is not JSON is a 422', async () => {
    const res = await api.call('POST', '/runs', {
      role: 'operator',
      rawBody: '{not json',
      contentType: 'application/json',
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.message).toMatch(/not valid JSON/);
  });

  test('bad list filters are 422s', async () => {
    expect((await api.call('GET', '/runs?status=DONE')).statusCode).toBe(422);
    expect((await api.call('GET', "/runs?experiment=a'%20OR%20'1")).statusCode).toBe(422);
    expect((await api.call('GET', '/runs?pageSize=0')).statusCode).toBe(422);
    const noZone = await api.call('GET', '/runs?startedAfter=2026-12-01T00:00:00');
    expect(noZone.statusCode).toBe(422);
    expect(noZone.json().error.message).toContain('startedAfter');
    expect((await api.call('GET', "/runs?startedBefore=yesterday'%20OR%20'1")).statusCode).toBe(422);
  });
});

test('a running run can be cancelled; it ends CANCELLED and a second cancel is a 409', async () => {
  const runId = await start({ pipeline: { name: pipeline }, params: { sleepSeconds: 60 } });
  await eventually(async () => {
    const run = (await api.call('GET', `/runs/${runId}`)).json();
    return run.tasks?.some((t: { id: string; state: string }) => t.id === 'greet' && t.state === 'running')
      ? run
      : undefined;
  }, 'greet to be running');
  const notYet = await api.call('GET', `/runs/${runId}/tasks/greet/logs`);
  expect(notYet.statusCode).toBe(404);
  expect(notYet.json().error.message).toContain('follow=true');

  const res = await api.call('POST', `/runs/${runId}/cancel`, { role: 'operator' });
  expect(res.statusCode).toBe(202);
  expect(res.json()).toEqual({ runId, cancelRequested: true });
  const run = await until(runId, ['CANCELLED', 'FAILED', 'SUCCEEDED']);
  expect(run.state).toBe('CANCELLED');
  expect(run.temporal.status).toBe('CANCELLED');
  expect((await api.call('POST', `/runs/${runId}/cancel`, { role: 'operator' })).statusCode).toBe(409);
});

test('logs?follow=true waits for a running step and then streams its log', async () => {
  const runId = await start({ pipeline: { name: pipeline }, params: { who: 'follower', sleepSeconds: 2 } });
  await eventually(async () => {
    const run = (await api.call('GET', `/runs/${runId}`)).json();
    return run.tasks?.some((t: { id: string; state: string }) => t.id === 'greet' && t.state === 'running')
      ? true
      : undefined;
  }, 'greet to be running');
  const res = await api.call('GET', `/runs/${runId}/tasks/greet/logs?follow=true&waitSeconds=60`);
  expect(res.statusCode).toBe(200);
  expect(res.body).toContain('hello follower');
  await until(runId, ['SUCCEEDED']);
});

test('a failed run retried from its failed step reuses the succeeded step and succeeds', async () => {
  const marker = join(api.dir, `marker-${Date.now()}`);
  const runId = await start({ pipeline: { name: pipeline }, params: { who: 'retry', marker } });
  const failed = await until(runId, ['FAILED', 'SUCCEEDED']);
  expect(failed.state).toBe('FAILED');
  expect(failed.tasks.find((t: { id: string }) => t.id === 'check')).toMatchObject({ state: 'failed' });

  const failedLog = await api.call('GET', `/runs/${runId}/tasks/check/logs`);
  expect(failedLog.body).toContain('first try fails');

  const res = await api.call('POST', `/runs/${runId}/retry`, { role: 'operator' });
  expect(res.statusCode).toBe(201);
  expect(res.json()).toMatchObject({ retryOf: runId });
  const retried = await until(res.json().runId, ['SUCCEEDED', 'FAILED']);
  expect(retried.state).toBe('SUCCEEDED');
  expect(retried.origin).toMatchObject({ retryOf: runId, startedBy: 'operator-user' });
  expect(retried.params).toMatchObject({ who: 'retry', marker });
  expect(retried.tasks.find((t: { id: string }) => t.id === 'greet')).toMatchObject({ cached: true });
  expect(retried.tasks.find((t: { id: string }) => t.id === 'check')).toMatchObject({
    state: 'succeeded',
    cached: false,
  });
});

describe('a task inside a sub-pipeline', () => {
  // The inner and the outer task are both `say`: the inner one is known by its path, `inner/say`,
  // which travels URL-encoded (`inner%2Fsay`) as one path segment.
  const say = component({
    name: 'say',
    image: 'busybox',
    inputs: { text: param.string() },
    outputs: { note: artifact.markdown() },
    command: ({ inputs, outputs }) => ['sh', '-c', 'echo "said $0"; echo "$0" > "$1"', inputs.text, outputs.note.path],
  });
  const inner = definePipeline({ name: 'inner', params: {} }, () => {
    say({ text: 'from inside' });
  });
  const outer = definePipeline({ name: 'runs-nested', params: {} }, () => {
    say({ text: 'from outside' });
    inner();
  });

  test('has its own logs and artifacts under its path', async () => {
    const upload = await api.call('POST', '/pipelines?version=1', {
      rawBody: JSON.stringify(compile(outer)),
      contentType: 'application/json',
    });
    expect(upload.statusCode).toBe(201);
    const runId = await start({ pipeline: { name: 'runs-nested', version: '1' }, params: {} });
    const run = await until(runId, ['SUCCEEDED', 'FAILED']);
    expect(run.tasks.map((t: { id: string; state: string }) => `${t.id}:${t.state}`).sort()).toEqual([
      'inner/say:succeeded',
      'inner:succeeded',
      'say:succeeded',
    ]);
    const innerLog = await api.call('GET', `/runs/${runId}/tasks/${encodeURIComponent('inner/say')}/logs`, {
      role: 'viewer',
    });
    expect(innerLog.statusCode).toBe(200);
    expect(innerLog.body).toContain('said from inside');
    expect((await api.call('GET', `/runs/${runId}/tasks/say/logs`, { role: 'viewer' })).body).toContain(
      'said from outside',
    );
    const note = await api.call('GET', `/runs/${runId}/tasks/inner%2Fsay/artifacts/note`, { role: 'viewer' });
    expect(note.statusCode).toBe(200);
    expect(note.body).toBe('from inside\n');
    const bad = await api.call('GET', `/runs/${runId}/tasks/${encodeURIComponent('inner//say')}/logs`, {
      role: 'viewer',
    });
    expect(bad.statusCode).toBe(422);
  });
});
