/**
 * Authentication and authorization on every route, against a real Temporal
 * server and a file:// store (no worker needed: refusals happen before any work).
 */
import type { Role } from '@kiln/api-contract';
import { startApi, tokens, type ApiHarness } from './support/harness';

let api: ApiHarness;
const logLines: string[] = [];
beforeAll(async () => {
  api = await startApi({ worker: false, logLines });
});
afterAll(async () => api?.close());

/** Every authenticated route, with sample path values and the least role it needs. */
const routes: { method: 'GET' | 'POST' | 'DELETE'; url: string; openapi: string; role: Role }[] = [
  { method: 'POST', url: '/pipelines', openapi: '/pipelines', role: 'admin' },
  { method: 'GET', url: '/pipelines', openapi: '/pipelines', role: 'viewer' },
  { method: 'GET', url: '/pipelines/p', openapi: '/pipelines/{name}', role: 'viewer' },
  { method: 'DELETE', url: '/pipelines/p', openapi: '/pipelines/{name}', role: 'admin' },
  { method: 'GET', url: '/pipelines/p/versions/1', openapi: '/pipelines/{name}/versions/{version}', role: 'viewer' },
  { method: 'DELETE', url: '/pipelines/p/versions/1', openapi: '/pipelines/{name}/versions/{version}', role: 'admin' },
  {
    method: 'GET',
    url: `/pipelines/p/digests/sha256:${'0'.repeat(64)}`,
    openapi: '/pipelines/{name}/digests/{digest}',
    role: 'viewer',
  },
  { method: 'POST', url: '/runs', openapi: '/runs', role: 'operator' },
  { method: 'GET', url: '/runs', openapi: '/runs', role: 'viewer' },
  { method: 'GET', url: '/runs/r', openapi: '/runs/{runId}', role: 'viewer' },
  { method: 'POST', url: '/runs/r/cancel', openapi: '/runs/{runId}/cancel', role: 'operator' },
  { method: 'POST', url: '/runs/r/retry', openapi: '/runs/{runId}/retry', role: 'operator' },
  { method: 'GET', url: '/runs/r/tasks/t/logs', openapi: '/runs/{runId}/tasks/{taskId}/logs', role: 'viewer' },
  { method: 'GET', url: '/runs/r/artifacts', openapi: '/runs/{runId}/artifacts', role: 'viewer' },
  {
    method: 'GET',
    url: '/runs/r/tasks/t/artifacts/o',
    openapi: '/runs/{runId}/tasks/{taskId}/artifacts/{output}',
    role: 'viewer',
  },
  { method: 'GET', url: '/runs/metrics?runIds=r', openapi: '/runs/metrics', role: 'viewer' },
  { method: 'GET', url: '/runs/r/events', openapi: '/runs/{runId}/events', role: 'viewer' },
  {
    method: 'GET',
    url: '/runs/r/tasks/t/iterations',
    openapi: '/runs/{runId}/tasks/{taskId}/iterations',
    role: 'viewer',
  },
  { method: 'GET', url: '/experiments', openapi: '/experiments', role: 'viewer' },
  { method: 'POST', url: '/schedules', openapi: '/schedules', role: 'operator' },
  { method: 'GET', url: '/schedules', openapi: '/schedules', role: 'viewer' },
  { method: 'GET', url: '/schedules/s', openapi: '/schedules/{id}', role: 'viewer' },
  { method: 'DELETE', url: '/schedules/s', openapi: '/schedules/{id}', role: 'operator' },
  { method: 'POST', url: '/schedules/s/pause', openapi: '/schedules/{id}/pause', role: 'operator' },
  { method: 'POST', url: '/schedules/s/resume', openapi: '/schedules/{id}/resume', role: 'operator' },
  { method: 'POST', url: '/schedules/s/trigger', openapi: '/schedules/{id}/trigger', role: 'operator' },
  { method: 'POST', url: '/schedules/s/backfill', openapi: '/schedules/{id}/backfill', role: 'operator' },
  { method: 'GET', url: '/auth/whoami', openapi: '/auth/whoami', role: 'viewer' },
];
const below: Record<Role, Role | undefined> = { viewer: undefined, operator: 'viewer', admin: 'operator' };

test('the table above covers every route in the OpenAPI document', async () => {
  const doc = (await api.call('GET', '/openapi.json', { role: null })).json() as {
    paths: Record<string, Record<string, unknown>>;
  };
  const documented = Object.entries(doc.paths)
    .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
    .filter((r) => !['GET /healthz', 'GET /readyz'].includes(r))
    .sort();
  expect(documented).toEqual(routes.map((r) => `${r.method} ${r.openapi}`).sort());
});

describe.each(routes)('$method $url', (route) => {
  test('401 without a token, with a JSON error and a WWW-Authenticate challenge', async () => {
    const res = await api.call(route.method, route.url, { role: null });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(res.json()).toEqual({ error: { code: 'unauthorized', message: expect.stringContaining('bearer token') } });
  });

  test('401 with an unknown token', async () => {
    const res = await api.app.inject({
      method: route.method,
      url: route.url,
      headers: { authorization: 'Bearer not-a-real-token' },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.message).toBe('the bearer token is not valid');
  });

  test('403 for a role below the one the route needs', async () => {
    const role = below[route.role];
    if (!role) return; // viewer routes: every valid token may read
    const res = await api.call(route.method, route.url, { role });
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toMatchObject({ code: 'forbidden', details: { role, required: route.role } });
  });
});

test.each(['viewer', 'operator', 'admin'] as const)(
  'GET /auth/whoami answers a %s token with its name and role, and the role inline IR needs',
  async (role) => {
    const res = await api.call('GET', '/auth/whoami', { role });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ name: `${role}-user`, role, inlineSpecRole: 'admin' });
  },
);

test('a malformed Authorization header is a 401 that says how to send it', async () => {
  const res = await api.app.inject({
    method: 'GET',
    url: '/runs',
    headers: { authorization: `Token ${tokens.viewer}` },
  });
  expect(res.statusCode).toBe(401);
  expect(res.json().error.message).toMatch(/Bearer <token>/);
});

test('health, readiness and the OpenAPI document need no token', async () => {
  expect((await api.call('GET', '/healthz', { role: null })).json()).toEqual({ ok: true });
  const ready = await api.call('GET', '/readyz', { role: null });
  expect(ready.statusCode).toBe(200);
  expect(ready.json()).toEqual({
    ok: true,
    checks: [
      { name: 'temporal', ok: true },
      { name: 'store', ok: true },
    ],
  });
  expect((await api.call('GET', '/openapi.json', { role: null })).statusCode).toBe(200);
  expect((await api.call('GET', '/docs', { role: null })).statusCode).toBeLessThan(400);
});

test('an unknown route is a JSON 404', async () => {
  const res = await api.call('GET', '/nope');
  expect(res.statusCode).toBe(404);
  expect(res.json()).toEqual({ error: { code: 'not-found', message: 'no route GET /nope' } });
});

test('request logs never contain a bearer token', async () => {
  for (const role of ['viewer', 'operator', 'admin'] as const) await api.call('GET', '/runs?pageSize=1', { role });
  await api.app.inject({ method: 'GET', url: '/runs', headers: { authorization: 'Bearer some-guessed-token' } });
  const text = logLines.join('');
  expect(text).toContain('"url":"/runs?pageSize=1"');
  for (const token of [...Object.values(tokens), 'some-guessed-token']) expect(text).not.toContain(token);
});
