/**
 * The web UI served by the API under /ui/: its files with the strict
 * Content-Security-Policy, the app's routes answering index.html, and the API
 * itself still behind bearer auth. Uses apps/ui's build (dist/, made by
 * `nx run ui:build`, on which this project's test target depends).
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { startApi, type ApiHarness } from './support/harness';

const uiDir = join(__dirname, '..', '..', 'ui', 'dist');
let api: ApiHarness;

beforeAll(async () => {
  if (!existsSync(join(uiDir, 'index.html'))) throw new Error(`${uiDir} has no build: run npx nx run ui:build first`);
  api = await startApi({ worker: false, uiDir });
});
afterAll(async () => api?.close());

const csp = (headers: Record<string, unknown>) => String(headers['content-security-policy']);

test('serves index.html at /ui/ and at every app route, without a token, never cached, with the CSP', async () => {
  for (const path of ['/ui/', '/ui/runs', '/ui/runs/kiln-x/tasks/a%2Fb']) {
    const res = await api.call('GET', path, { role: null });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('<div id="root">');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(csp(res.headers)).toContain("script-src 'self'");
    expect(csp(res.headers)).toContain("frame-ancestors 'none'");
    expect(csp(res.headers)).not.toContain('unsafe-inline');
  }
  const bare = await api.call('GET', '/ui', { role: null });
  expect(bare.statusCode).toBe(302);
  expect(bare.headers['location']).toBe('/ui/');
});

test('the built scripts are files with the CSP and a long cache; index.html has no inline script', async () => {
  const index = (await api.call('GET', '/ui/', { role: null })).body;
  expect(index).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  const assets = (await readdir(join(uiDir, 'assets'))).filter((f) => f.endsWith('.js'));
  expect(assets.length).toBeGreaterThan(0);
  const res = await api.call('GET', `/ui/assets/${assets[0]}`, { role: null });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/javascript/);
  expect(csp(res.headers)).toContain("default-src 'self'");
  expect(res.headers['cache-control']).toContain('immutable');
  expect(res.headers['x-content-type-options']).toBe('nosniff');
});

test('the API next to it still needs a token', async () => {
  expect((await api.call('GET', '/runs', { role: null })).statusCode).toBe(401);
  expect((await api.call('GET', '/openapi.json', { role: null })).json().paths['/ui/']).toBeUndefined();
});
