/** The OpenAPI document: valid OpenAPI 3.1, every route of the contract present with its answers, the auth scheme declared. */
import { apiRoutes } from '@kiln/api-contract';
import { execFileSync } from 'node:child_process';
import { startApi, type ApiHarness } from './support/harness';

let api: ApiHarness;
beforeAll(async () => {
  api = await startApi({ worker: false });
});
afterAll(async () => api?.close());

test('/openapi.json passes an OpenAPI schema validator', async () => {
  const res = await api.call('GET', '/openapi.json', { role: null });
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  // The validator ships only as an ES module; jest runs CommonJS, so it runs in a child Node.
  // The document goes on stdin: it is larger than one command-line argument may be (128 KiB).
  const script = `
    import { Validator } from '@seriousme/openapi-schema-validator';
    import { readFileSync } from 'node:fs';
    const result = await new Validator().validate(JSON.parse(readFileSync(0, 'utf8')));
    process.stdout.write(JSON.stringify(result));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: __dirname,
    encoding: 'utf8',
    input: res.body,
  });
  const result = JSON.parse(out) as { valid: boolean; errors?: unknown };
  expect(result.errors).toBeUndefined();
  expect(result.valid).toBe(true);
});

test('it documents every route with its parameters and the bearer scheme', async () => {
  const doc = (await api.call('GET', '/openapi.json', { role: null })).json();
  expect(doc.openapi).toBe('3.1.0');
  expect(doc.components.securitySchemes.bearer).toEqual({ type: 'http', scheme: 'bearer' });
  expect(Object.keys(doc.paths).sort()).toEqual([
    '/auth/whoami',
    '/experiments',
    '/healthz',
    '/pipelines',
    '/pipelines/{name}',
    '/pipelines/{name}/digests/{digest}',
    '/pipelines/{name}/versions/{version}',
    '/readyz',
    '/runs',
    '/runs/metrics',
    '/runs/{runId}',
    '/runs/{runId}/artifacts',
    '/runs/{runId}/cancel',
    '/runs/{runId}/events',
    '/runs/{runId}/retry',
    '/runs/{runId}/tasks/{taskId}/artifacts/{output}',
    '/runs/{runId}/tasks/{taskId}/iterations',
    '/runs/{runId}/tasks/{taskId}/logs',
    '/schedules',
    '/schedules/{id}',
    '/schedules/{id}/backfill',
    '/schedules/{id}/pause',
    '/schedules/{id}/resume',
    '/schedules/{id}/trigger',
  ]);
  const create = doc.paths['/runs'].post;
  expect(create.requestBody.content['application/json'].schema.properties).toHaveProperty('params');
  expect(doc.paths['/runs'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
    expect.arrayContaining(['pipeline', 'status', 'experiment', 'pageSize', 'pageToken']),
  );
  expect(doc.paths['/healthz'].get.security).toEqual([]);
});

test('every route of the contract is documented under its name, with a schema for every answer', async () => {
  const doc = (await api.call('GET', '/openapi.json', { role: null })).json();
  for (const [name, route] of Object.entries(apiRoutes)) {
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    const operation = doc.paths[path]?.[route.method.toLowerCase()];
    expect([name, operation?.operationId]).toEqual([name, name]);
    const statuses = [...Object.keys(route.responses), ...route.errors.map(String)].sort();
    expect([name, Object.keys(operation.responses).sort()]).toEqual([name, statuses]);
    for (const [status, response] of Object.entries<{ content?: Record<string, { schema?: unknown }> }>(
      operation.responses,
    )) {
      // 204s have no body; every other answer says what its body is.
      if (status === '204') continue;
      const media = Object.entries(response.content ?? {});
      expect([name, status, media.length > 0]).toEqual([name, status, true]);
      for (const [type, { schema }] of media)
        expect([name, status, type, schema]).toEqual([name, status, type, expect.any(Object)]);
    }
    if (route.errors.includes(404))
      expect(operation.responses['404'].content['application/json'].schema).toEqual({
        $ref: '#/components/schemas/Error',
      });
  }
});

test('the run resource points at the status document pieces the engine defines', async () => {
  const doc = (await api.call('GET', '/openapi.json', { role: null })).json();
  expect(doc.paths['/runs/{runId}'].get.responses['200'].content['application/json'].schema).toEqual({
    $ref: '#/components/schemas/Run',
  });
  expect(doc.components.schemas.Run.properties.tasks.items).toEqual({ $ref: '#/components/schemas/TaskStatus' });
  expect(doc.components.schemas.Run.properties.state.enum).toEqual([
    'PENDING',
    'RUNNING',
    'SUCCEEDED',
    'FAILED',
    'CANCELLED',
  ]);
});
