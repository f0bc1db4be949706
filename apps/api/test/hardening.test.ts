/**
 * Issue 13 against the real Temporal server: input nested or stuffed past the
 * limits is a 422 naming the limit (never a 500 or a dead process), junk page
 * tokens are refused at once, schedules that make no sense are refused naming
 * the field, and every framework error keeps the documented JSON shape.
 */
import { errorBodySchema } from '@kiln/api-contract';
import { helloSpec } from './support/fixtures';
import { startApi, type ApiHarness } from './support/harness';

let api: ApiHarness;
const pipeline = 'hardening-hello';
const suffix = Date.now().toString(36);
const created: string[] = [];

beforeAll(async () => {
  api = await startApi({ worker: false });
  const res = await api.call('POST', '/pipelines', {
    rawBody: JSON.stringify(helloSpec(pipeline)),
    contentType: 'application/json',
  });
  expect(res.statusCode).toBe(201);
});
afterAll(async () => {
  for (const id of created)
    await api.client.schedule
      .getHandle(id)
      .delete()
      .catch(() => undefined);
  await api?.close();
});

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

/** The documented error shape, with this status and code. */
function expectError(res: { statusCode: number; body: string }, status: number, code: string) {
  expect({ status: res.statusCode, code: JSON.parse(res.body)?.error?.code }).toEqual({ status, code });
  const body = errorBodySchema.parse(JSON.parse(res.body));
  return body.error;
}

describe('input nested or stuffed past the limits is a 422 input-limit', () => {
  test('POST /runs with params a million levels deep', async () => {
    const res = await api.call('POST', '/runs', {
      role: 'operator',
      rawBody: `{"pipeline":{"name":"${pipeline}"},"params":{"who":${nested(1_000_000)}}}`,
    });
    const error = expectError(res, 422, 'input-limit');
    expect(error.message).toContain('the limit on nesting depth is 128');
    expect(error.details).toMatchObject({ in: 'body', limit: 'maxDepth', max: 128, line: 1 });
  });

  test('POST /runs with an inline spec nested deep inside', async () => {
    const spec = { ...helloSpec('deep-inline'), pipeline: { name: 'deep-inline', description: '' } };
    const text = JSON.stringify({ spec }).replace('"description":""', `"description":${nested(5000)}`);
    expectError(await api.call('POST', '/runs', { rawBody: text }), 422, 'input-limit');
  });

  test('a schedule body nested past the limit is refused before the schedule is made', async () => {
    let who: unknown = 'x';
    for (let i = 0; i < 127; i++) who = [who];
    const res = await api.call('POST', '/schedules', {
      role: 'operator',
      body: {
        id: `deep-${suffix}`,
        pipeline: { name: pipeline },
        params: { who },
        cron: '0 3 * * *',
        catchupWindow: '1h',
      },
    });
    // The body nests 129 levels: refused before parsing, the schedule never made.
    expectError(res, 422, 'input-limit');
  });

  test('POST /pipelines: JSON, flow YAML and block YAML nested deep', async () => {
    const uploads: [string, string][] = [
      ['application/json', `{"schemaVersion":"1.0","pipeline":{"name":${nested(200_000)}}}`],
      ['application/yaml', `schemaVersion: "1.0"\npipeline: ${nested(2_000_000)}\n`],
      ['application/yaml', `schemaVersion: "1.0"\npipeline:\n  ${'- '.repeat(1_000_000)}x\n`],
    ];
    for (const [contentType, rawBody] of uploads) {
      const error = expectError(await api.call('POST', '/pipelines', { rawBody, contentType }), 422, 'input-limit');
      expect(error.details).toMatchObject({ limit: 'maxDepth', max: 128 });
    }
  });

  test('POST /pipelines: a YAML alias bomb and a token flood name their limits', async () => {
    const bomb = `a: &a [x, x, x, x, x, x, x, x]\nb: &b [${'*a,'.repeat(9)}*a]\nc: [${'*b,'.repeat(500)}*b]\n`;
    const aliases = expectError(
      await api.call('POST', '/pipelines', { rawBody: bomb, contentType: 'application/yaml' }),
      422,
      'input-limit',
    );
    expect(aliases.details).toMatchObject({ limit: 'maxYamlAliases', max: 100 });
    const flood = `schemaVersion: "1.0"\npipeline: [${'a,'.repeat(400_000)}a]\n`;
    const tokens = expectError(
      await api.call('POST', '/pipelines', { rawBody: flood, contentType: 'application/yaml' }),
      422,
      'input-limit',
    );
    expect(tokens.details).toMatchObject({ limit: 'maxYamlTokens', max: 200_000 });
  });

  test('a normal pipeline still uploads as YAML and JSON after all that', async () => {
    const res = await api.call('GET', `/pipelines/${pipeline}`, { role: 'viewer' });
    expect(res.statusCode).toBe(200);
  });
});

describe('page tokens', () => {
  test.each(['/runs', '/schedules'])('a junk pageToken on GET %s is a 422 at once', async (path) => {
    const started = Date.now();
    const res = await api.call('GET', `${path}?pageToken=abcdefgh`, { role: 'viewer' });
    const error = expectError(res, 422, 'invalid-request');
    expect(error.message).toContain('pageToken');
    expect(Date.now() - started).toBeLessThan(2000);
    // A real token still pages.
    const first = (await api.call('GET', `${path}?pageSize=1`, { role: 'viewer' })).json();
    if (first.nextPageToken) {
      const next = await api.call('GET', `${path}?pageSize=1&pageToken=${first.nextPageToken}`, { role: 'viewer' });
      expect(next.statusCode).toBe(200);
    }
  });
});

describe('schedules that make no sense are refused, naming the field', () => {
  const base = () => ({ pipeline: { name: pipeline }, params: {}, catchupWindow: '1h' });
  const create = async (body: Record<string, unknown>) => {
    const res = await api.call('POST', '/schedules', { role: 'operator', body });
    if (res.statusCode === 201) created.push(String(body['id']));
    return res;
  };
  const problemPath = (error: { details?: unknown }) => (error.details as { path: string }[])[0]?.path;

  test('an absurd duration is refused, not clamped', async () => {
    for (const [field, body] of [
      ['catchupWindow', { ...base(), cron: '0 3 * * *', catchupWindow: '99999999999999999999d' }],
      ['interval.every', { ...base(), interval: { every: 1e20 } }],
      ['interval.every', { ...base(), interval: { every: '0s' } }],
    ] as const) {
      const error = expectError(await create({ id: `absurd-${suffix}`, ...body }), 422, 'invalid-request');
      expect(problemPath(error)).toBe(field);
    }
  });

  test('a cron that never fires, and startAt after endAt', async () => {
    const never = expectError(
      await create({ id: `never-${suffix}`, ...base(), cron: '0 0 31 2 *' }),
      422,
      'invalid-request',
    );
    expect(problemPath(never)).toBe('cron');
    expect(never.message).toContain('never fire');
    // Deleted again: the id is free.
    await expect(api.client.schedule.getHandle(`never-${suffix}`).describe()).rejects.toThrow(/not found/i);

    const reversed = expectError(
      await create({
        id: `reversed-${suffix}`,
        ...base(),
        cron: '0 3 * * *',
        startAt: '2031-01-01T00:00:00Z',
        endAt: '2030-01-01T00:00:00Z',
      }),
      422,
      'invalid-request',
    );
    expect(problemPath(reversed)).toBe('startAt');
  });

  test('an interval under the minimum, and a backfill over the cap on actions', async () => {
    const strict = await startApi({
      worker: false,
      limits: { minScheduleIntervalSeconds: 60, maxBackfillActions: 100 },
    });
    try {
      await strict.call('POST', '/pipelines', {
        rawBody: JSON.stringify(helloSpec(pipeline)),
        contentType: 'application/json',
      });
      const fast = await strict.call('POST', '/schedules', {
        role: 'operator',
        body: { id: `fast-${suffix}`, ...base(), interval: { every: '1s' } },
      });
      expect(problemPath(expectError(fast, 422, 'invalid-request'))).toBe('interval.every');

      const id = `minutely-${suffix}`;
      const ok = await strict.call('POST', '/schedules', {
        role: 'operator',
        body: { id, ...base(), interval: { every: '1m' }, paused: true },
      });
      expect(ok.statusCode).toBe(201);
      created.push(id);
      const backfill = (start: string, end: string) =>
        strict.call('POST', `/schedules/${id}/backfill`, { role: 'operator', body: { start, end } });
      // A year of minutes is 525,600 runs.
      const tooMany = expectError(
        await backfill('2025-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
        422,
        'invalid-request',
      );
      expect(tooMany.message).toContain('more than 100');
      expect((await backfill('2025-01-01T00:00:00Z', '2025-01-01T01:00:00Z')).statusCode).toBe(202);
    } finally {
      await strict.close();
    }
  });
});

describe('every error keeps the documented shape', () => {
  test('414 for an overlong path parameter', async () => {
    expectError(await api.call('GET', `/runs/${'a'.repeat(5000)}`, { role: 'viewer' }), 414, 'uri-too-long');
  });

  test('415 for a body that is not JSON (text/plain, forms), not a 422', async () => {
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded']) {
      const res = await api.call('POST', '/runs', { rawBody: '{"pipeline":{"name":"x"}}', contentType });
      expectError(res, 415, 'unsupported-media-type');
    }
  });

  test('403 forbidden, 401 unauthorized, 404 for unknown routes and methods', async () => {
    expectError(
      await api.call('POST', '/pipelines', { role: 'viewer', rawBody: '{}', contentType: 'application/json' }),
      403,
      'forbidden',
    );
    expectError(await api.call('GET', '/runs', { role: null }), 401, 'unauthorized');
    expectError(await api.call('GET', '/no/such/route', { role: 'viewer' }), 404, 'not-found');
    expectError(await api.call('DELETE', '/runs', { role: 'admin' }), 404, 'not-found');
  });

  test('a bad JSON body and an empty one are 422 invalid-request', async () => {
    expectError(await api.call('POST', '/runs', { rawBody: '{"pipeline":' }), 422, 'invalid-request');
    expectError(
      await api.call('POST', '/runs', { rawBody: '{"__proto__":{"x":1},"pipeline":{"name":"p"}}' }),
      422,
      'invalid-request',
    );
  });
});
