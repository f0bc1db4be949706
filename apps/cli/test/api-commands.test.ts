/**
 * `kiln dev`, then the API commands against it, as users run them: bin/kiln
 * in child processes. `kiln dev` starts its embedded Temporal dev server, a
 * worker with the local executor and the API process; the other commands
 * reach it through KILN_API_URL / KILN_API_TOKEN and `@kiln/client`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { eventually as pollUntil } from '@kiln/testing';

// Real servers and child processes: seconds per command.
jest.setTimeout(300_000);

const root = resolve(__dirname, '../../..');
const kilnBin = join(root, 'bin/kiln');
const fixtures = join(__dirname, 'fixtures');
const store = `file://${mkdtempSync(join(tmpdir(), 'kiln-dev-test-'))}`;

interface DevInfo {
  temporal: { address: string; namespace: string; ui: string; embedded: boolean };
  api: { url: string; token: string; tokens: { admin: string; operator?: string; viewer?: string }; openapi: string };
  ui?: { url: string };
  worker: { taskQueue: string };
}

let dev: ChildProcess;
let info: DevInfo;
/** Given on the command line; the viewer's is generated. */
const operatorToken = `kiln_test_operator_${process.pid}`;
let devStderr = '';

/** Clean of the caller's Temporal/API settings, so only what the test passes applies. */
function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { TEMPORAL_ADDRESS: _a, KILN_API_URL: _b, KILN_API_TOKEN: _c, KILN_TASK_QUEUE: _d, ...inherited } = process.env;
  return { ...inherited, KILN_ARTIFACTS: store, ...extra };
}

function kiln(
  args: string[],
  extra: Record<string, string> = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise) => {
    const child = spawn(kilnBin, args, {
      cwd: tmpdir(),
      env: env({ KILN_API_URL: info.api.url, KILN_API_TOKEN: info.api.token, ...extra }),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (status) => resolvePromise({ status, stdout, stderr }));
  });
}

/** `kiln ... --json`, parsed; fails the test with stderr when the command fails. */
async function kilnJson<T>(args: string[]): Promise<T> {
  const r = await kiln([...args, '--json']);
  if (r.status !== 0) throw new Error(`kiln ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

const eventually = <T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 60_000): Promise<T> =>
  pollUntil(probe, what, timeoutMs, 500);

/** Polling goes straight to the API: a CLI process per probe is slow on a busy machine. */
async function apiGet<T>(path: string): Promise<T> {
  const res = await fetch(`${info.api.url}${path}`, { headers: { authorization: `Bearer ${info.api.token}` } });
  if (!res.ok) throw new Error(`GET ${path}: ${res.status}`);
  return (await res.json()) as T;
}

async function createRun(body: unknown): Promise<string> {
  const res = await fetch(`${info.api.url}/runs`, {
    method: 'POST',
    headers: { authorization: `Bearer ${info.api.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { runId: string }).runId;
}

beforeAll(async () => {
  dev = spawn(kilnBin, ['dev', '--api-port', '0', '--viewer-token', '--operator-token', operatorToken, '--json'], {
    cwd: tmpdir(),
    env: env(),
  });
  dev.stderr?.on('data', (chunk: Buffer) => (devStderr += chunk.toString()));
  info = await new Promise<DevInfo>((resolveInfo, reject) => {
    let out = '';
    dev.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line && out.includes('\n')) resolveInfo(JSON.parse(line) as DevInfo);
    });
    dev.once('exit', (code) => reject(new Error(`kiln dev exited ${code}: ${devStderr}`)));
  });
}, 300_000);

afterAll(async () => {
  if (!dev || dev.exitCode !== null) return;
  const exited = new Promise<number | null>((r) => dev.once('exit', (code) => r(code)));
  dev.kill('SIGINT');
  expect(await exited).toBe(0);
});

describe('kiln dev', () => {
  test('prints the Temporal address and UI, the API URL and an admin token; all of them answer', async () => {
    expect(info.temporal).toMatchObject({
      address: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
      namespace: 'default',
      embedded: true,
      ui: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
    });
    expect(info.api.token).toMatch(/^kiln_dev_/);
    expect((await fetch(info.temporal.ui)).status).toBe(200);
    expect((await fetch(info.api.openapi)).status).toBe(200);
    expect((await fetch(`${info.api.url}/runs`)).status).toBe(401);
    expect(
      (await fetch(`${info.api.url}/runs`, { headers: { authorization: `Bearer ${info.api.token}` } })).status,
    ).toBe(200);
  });

  test('--viewer-token (generated) and --operator-token (given) add tokens of those roles, and the API tells who holds each', async () => {
    expect(info.api.tokens).toEqual({
      admin: info.api.token,
      operator: operatorToken,
      viewer: expect.stringMatching(/^kiln_dev_/),
    });
    const whoami = async (token: string | undefined) => {
      const res = await fetch(`${info.api.url}/auth/whoami`, { headers: { authorization: `Bearer ${token}` } });
      return res.json();
    };
    expect(await whoami(info.api.tokens.admin)).toEqual({ name: 'dev', role: 'admin', inlineSpecRole: 'admin' });
    expect(await whoami(info.api.tokens.operator)).toEqual({
      name: 'dev-operator',
      role: 'operator',
      inlineSpecRole: 'admin',
    });
    expect(await whoami(info.api.tokens.viewer)).toEqual({
      name: 'dev-viewer',
      role: 'viewer',
      inlineSpecRole: 'admin',
    });
    const cancel = await fetch(`${info.api.url}/runs/kiln-any/cancel`, {
      method: 'POST',
      headers: { authorization: `Bearer ${info.api.tokens.viewer}` },
    });
    expect(cancel.status).toBe(403);
  });

  test('builds the web UI (once per source change) and serves it under /ui/ with its CSP', async () => {
    expect(info.ui?.url).toBe(`${info.api.url}/ui/`);
    const page = await fetch(info.ui?.url ?? '');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('<div id="root">');
    expect(readFileSync(join(root, 'apps/ui/dist/kiln-source-hash'), 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
  });
});

describe('kiln pipelines, runs and schedules against kiln dev', () => {
  beforeAll(async () => {
    await kilnJson(['pipelines', 'upload', join(fixtures, 'run', 'hello.json'), '--version', '1']);
    await kilnJson(['pipelines', 'upload', join(fixtures, 'api', 'sleepy.json')]);
  });

  test('pipelines upload and list --json parse', async () => {
    const again = await kilnJson<{ name: string; version: string; created: boolean }>([
      'pipelines',
      'upload',
      join(fixtures, 'run', 'hello.json'),
      '--version',
      '1',
    ]);
    expect(again).toMatchObject({ name: 'hello', version: '1', created: false });
    const { pipelines } = await kilnJson<{ pipelines: { name: string; latest: { version: string } }[] }>([
      'pipelines',
      'list',
    ]);
    expect(pipelines.map((p) => p.name).sort()).toEqual(['hello', 'sleepy']);
  });

  test('a run created with curl is followed by runs get --watch, listed by runs list --json, and its log printed', async () => {
    const runId = await createRun({ pipeline: { name: 'hello' }, params: { who: 'curl' } });
    const watched = await kiln(['runs', 'get', runId, '--watch']);
    expect(watched.status).toBe(0);
    expect(watched.stdout).toMatch(/✓ greet succeeded/);
    expect(watched.stdout).toContain(`${runId} SUCCEEDED`);

    const doc = await kilnJson<{ state: string; tasks: { id: string; state: string }[] }>(['runs', 'get', runId]);
    expect(doc.state).toBe('SUCCEEDED');
    expect(doc.tasks.map((t) => t.id).sort()).toEqual(['again', 'greet']);

    await eventually(async () => {
      const { runs } = await apiGet<{ runs: { runId: string; state: string }[] }>('/runs?pipeline=hello');
      return runs.find((r) => r.runId === runId && r.state === 'SUCCEEDED');
    }, 'the run in the listing');
    const { runs } = await kilnJson<{ runs: { runId: string; state: string }[] }>([
      'runs',
      'list',
      '--pipeline',
      'hello',
    ]);
    expect(runs.find((r) => r.runId === runId)).toMatchObject({ runId, state: 'SUCCEEDED' });

    const table = await kiln(['runs', 'list']);
    expect(table.stdout).toMatch(/^RUN\s+PIPELINE\s+STATE\s+STARTED\s+TIME\n/);
    const log = await kiln(['runs', 'logs', runId, 'greet']);
    expect(log.stdout).toContain('hello curl');
  });

  test('runs cancel stops a running run; runs retry starts it again', async () => {
    const runId = await createRun({ pipeline: { name: 'sleepy' }, params: {} });
    await eventually(async () => {
      const doc = await apiGet<{ tasks: { id: string; state: string }[] }>(`/runs/${runId}`);
      return doc.tasks.some((t) => t.state === 'running') ? true : undefined;
    }, 'the nap to start');
    expect(await kilnJson(['runs', 'cancel', runId])).toEqual({ runId, cancelRequested: true });
    const followed = await kiln(['runs', 'get', runId, '--watch', '--json']);
    expect(followed.status).toBe(1);
    expect(JSON.parse(followed.stdout)).toMatchObject({ state: 'CANCELLED' });

    const again = await kiln(['runs', 'cancel', runId]);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/already ended/);

    const retry = await kilnJson<{ runId: string; retryOf: string }>(['runs', 'retry', runId]);
    expect(retry.retryOf).toBe(runId);
    await kilnJson(['runs', 'cancel', retry.runId]);
  });

  test('schedules create, list --json, get, pause, trigger, backfill, resume, delete', async () => {
    const created = await kilnJson<{ id: string; interval: { every: string } }>([
      'schedules',
      'create',
      'every-2s',
      '--pipeline',
      'hello',
      '--param',
      'who=schedule',
      '--every',
      '2s',
      '--catchup-window',
      '1m',
    ]);
    expect(created).toMatchObject({ id: 'every-2s', interval: { every: '2s' } });
    await eventually(async () => {
      const { schedules } = await apiGet<{ schedules: { id: string }[] }>('/schedules');
      return schedules.find((s) => s.id === 'every-2s');
    }, 'the schedule in the listing');
    const { schedules } = await kilnJson<{ schedules: { id: string; paused: boolean }[] }>(['schedules', 'list']);
    expect(schedules.find((s) => s.id === 'every-2s')).toMatchObject({ paused: false });
    await eventually(
      async () => (await apiGet<{ recentRuns: unknown[] }>('/schedules/every-2s')).recentRuns[0],
      'the schedule to fire',
    );
    const fired = (await kilnJson<{ recentRuns: { runId: string }[] }>(['schedules', 'get', 'every-2s'])).recentRuns[0];
    expect(fired?.runId).toMatch(/^kiln-hello-sched-every-2s-/);

    expect(await kilnJson(['schedules', 'pause', 'every-2s', '--note', 'quiet'])).toMatchObject({
      paused: true,
      note: 'quiet',
    });
    expect(await kilnJson(['schedules', 'trigger', 'every-2s'])).toEqual({ id: 'every-2s', triggered: true });
    expect(
      await kilnJson([
        'schedules',
        'backfill',
        'every-2s',
        '--start',
        '2025-01-01T00:00:00Z',
        '--end',
        '2025-01-01T00:00:05Z',
      ]),
    ).toMatchObject({ id: 'every-2s' });
    expect(await kilnJson(['schedules', 'resume', 'every-2s'])).toMatchObject({ paused: false });
    expect(await kilnJson(['schedules', 'delete', 'every-2s'])).toEqual({ id: 'every-2s', deleted: true });
    const gone = await kiln(['schedules', 'get', 'every-2s']);
    expect(gone.status).toBe(1);
    expect(gone.stderr).toMatch(/not found/);
  });

  test('errors say what to do: no token, an unknown run, no API', async () => {
    const noToken = await kiln(['runs', 'list'], { KILN_API_TOKEN: '' });
    expect(noToken.status).toBe(1);
    expect(noToken.stderr).toMatch(/missing bearer token.*KILN_API_TOKEN/);
    const unknown = await kiln(['runs', 'get', 'kiln-nope-0']);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/run "kiln-nope-0" not found/);
    const noApi = await kiln(['runs', 'list'], { KILN_API_URL: 'http://127.0.0.1:9' });
    expect(noApi.status).toBe(3);
    expect(noApi.stderr).toMatch(/did not answer.*kiln dev/);
  });
});
