/**
 * Schedules on real Temporal Schedules: an interval schedule that fires runs
 * on a real worker, pauses, resumes, triggers, backfills and is deleted.
 */
import { helloSpec } from './support/fixtures';
import { eventually, startApi, type ApiHarness } from './support/harness';

let api: ApiHarness;
const pipeline = 'sched-hello';
// Schedules outlive a test run on the shared server: fresh ids every time.
const suffix = Date.now().toString(36);
const created: string[] = [];

beforeAll(async () => {
  api = await startApi({ worker: true });
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

const getSchedule = async (id: string) => (await api.call('GET', `/schedules/${id}`, { role: 'viewer' })).json();

async function create(body: Record<string, unknown>) {
  const res = await api.call('POST', '/schedules', { role: 'operator', body });
  if (res.statusCode === 201) created.push(res.json().id);
  return res;
}

test('an every-2s schedule fires runs that succeed, pauses, triggers, backfills and is deleted', async () => {
  const id = `every-2s-${suffix}`;
  const res = await create({
    id,
    pipeline: { name: pipeline },
    params: { who: 'schedule' },
    interval: { every: '2s' },
    timezone: 'Europe/Paris',
    overlap: 'ALLOW_ALL',
    catchupWindow: '1m',
  });
  expect(res.statusCode).toBe(201);
  expect(res.json()).toMatchObject({
    id,
    pipeline: { name: pipeline, version: '1', digest: expect.stringMatching(/^sha256:/) },
    interval: { every: '2s' },
    timezone: 'Europe/Paris',
    overlap: 'ALLOW_ALL',
    catchupWindowSeconds: 60,
    paused: false,
    createdBy: 'operator-user',
  });

  // It fires, and the runs it starts succeed.
  const fired = await eventually(
    async () => {
      const s = await getSchedule(id);
      return s.recentRuns.length >= 2 ? s : undefined;
    },
    'two scheduled runs',
    30_000,
    500,
  );
  const firstRun = fired.recentRuns[0].runId as string;

  // Paused, it stops firing. (Paused before waiting on the run, so a slow machine
  // is not also piling up a new run every 2 s.)
  const paused = await api.call('POST', `/schedules/${id}/pause`, { role: 'operator', body: { note: 'maintenance' } });
  expect(paused.statusCode).toBe(200);
  expect(paused.json()).toMatchObject({ paused: true, note: 'maintenance' });

  const run = await eventually(
    async () => {
      const r = (await api.call('GET', `/runs/${firstRun}`)).json();
      return r.state === 'SUCCEEDED' && r.temporal.status === 'COMPLETED' ? r : undefined;
    },
    'the scheduled run to succeed',
    90_000,
    500,
  );
  expect(run).toMatchObject({ pipeline: { name: pipeline }, params: { who: 'schedule' } });
  await new Promise((r) => setTimeout(r, 1000));
  const takenWhenPaused = (await getSchedule(id)).actionsTaken as number;
  await new Promise((r) => setTimeout(r, 4500));
  expect((await getSchedule(id)).actionsTaken).toBe(takenWhenPaused);

  // Trigger starts a run now, paused or not.
  const trigger = await api.call('POST', `/schedules/${id}/trigger`, { role: 'operator' });
  expect(trigger.statusCode).toBe(202);
  await eventually(
    async () => ((await getSchedule(id)).actionsTaken === takenWhenPaused + 1 ? true : undefined),
    'the triggered run',
  );

  // Backfill runs what the schedule would have run in the range: 2 s apart over 6 s is 3 runs.
  const end = new Date(Math.floor(Date.now() / 2000) * 2000 - 20_000);
  const start = new Date(end.getTime() - 6000);
  const backfill = await api.call('POST', `/schedules/${id}/backfill`, {
    role: 'operator',
    body: { start: start.toISOString(), end: end.toISOString() },
  });
  expect(backfill.statusCode).toBe(202);
  await eventually(
    async () => ((await getSchedule(id)).actionsTaken >= takenWhenPaused + 4 ? true : undefined),
    'the backfilled runs',
    30_000,
    500,
  );

  // Resumed, it fires again.
  const resumed = await api.call('POST', `/schedules/${id}/resume`, { role: 'operator' });
  expect(resumed.json()).toMatchObject({ paused: false });
  const before = (await getSchedule(id)).actionsTaken as number;
  await eventually(
    async () => ((await getSchedule(id)).actionsTaken > before ? true : undefined),
    'a run after resume',
    15_000,
    500,
  );

  // Listed, then deleted.
  await eventually(
    async () => {
      const list = (await api.call('GET', '/schedules?pageSize=1000')).json();
      return list.schedules.find((s: { id: string }) => s.id === id);
    },
    'the schedule in the listing',
    30_000,
    500,
  );
  expect((await api.call('DELETE', `/schedules/${id}`, { role: 'operator' })).statusCode).toBe(204);
  expect((await api.call('GET', `/schedules/${id}`)).statusCode).toBe(404);
}, 240_000);

test('a cron schedule records its expression and time zone and starts paused when asked', async () => {
  const id = `cron-${suffix}`;
  const res = await create({
    id,
    pipeline: { name: pipeline, version: '1' },
    cron: '0 3 * * *',
    timezone: 'America/New_York',
    catchupWindow: 600,
    paused: true,
  });
  expect(res.statusCode).toBe(201);
  expect(res.json()).toMatchObject({
    cron: ['0 3 * * *'],
    timezone: 'America/New_York',
    paused: true,
    overlap: 'SKIP',
    catchupWindowSeconds: 600,
  });
  expect(res.json().nextRunTimes.length).toBeGreaterThan(0);
});

describe('schedule errors', () => {
  const base = { pipeline: { name: pipeline }, interval: { every: '1h' }, catchupWindow: '5m' };

  test('an id that exists is a 409', async () => {
    const id = `dup-${suffix}`;
    expect((await create({ id, ...base })).statusCode).toBe(201);
    const again = await create({ id, ...base });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('conflict');
  });

  test('no cron and no interval, a bad time zone, a bad duration or no catchup window are 422s', async () => {
    expect(
      (await create({ id: `x1-${suffix}`, pipeline: { name: pipeline }, catchupWindow: '1m' })).json().error.message,
    ).toContain('"cron"');
    const tz = await create({ id: `x2-${suffix}`, ...base, timezone: 'Mars/Olympus' });
    expect(tz.statusCode).toBe(422);
    expect(tz.json().error.details[0]).toMatchObject({ path: 'timezone' });
    expect((await create({ id: `x3-${suffix}`, ...base, interval: { every: 'often' } })).statusCode).toBe(422);
    const noCatchup = await create({ id: `x4-${suffix}`, pipeline: { name: pipeline }, interval: { every: '1h' } });
    expect(noCatchup.statusCode).toBe(422);
    expect(noCatchup.json().error.details[0]).toMatchObject({ path: 'catchupWindow' });
  });

  test('a cron expression Temporal refuses is a 422', async () => {
    const res = await create({
      id: `badcron-${suffix}`,
      pipeline: { name: pipeline },
      cron: 'every day at noon',
      catchupWindow: '1m',
    });
    expect(res.statusCode).toBe(422);
  });

  test('bad parameters and unknown pipelines are refused before anything is created', async () => {
    const params = await create({ id: `badparams-${suffix}`, ...base, params: { who: false } });
    expect(params.statusCode).toBe(422);
    expect(params.json().error.details).toEqual([{ param: 'who', message: 'must be string, got false' }]);
    expect((await create({ id: `nopipe-${suffix}`, ...base, pipeline: { name: 'no-such-pipeline' } })).statusCode).toBe(
      404,
    );
  });

  test('unknown schedules are 404s on every action', async () => {
    const id = `missing-${suffix}`;
    expect((await api.call('GET', `/schedules/${id}`)).statusCode).toBe(404);
    expect((await api.call('POST', `/schedules/${id}/pause`)).statusCode).toBe(404);
    expect((await api.call('POST', `/schedules/${id}/resume`)).statusCode).toBe(404);
    expect((await api.call('POST', `/schedules/${id}/trigger`)).statusCode).toBe(404);
    const now = Date.now();
    expect(
      (
        await api.call('POST', `/schedules/${id}/backfill`, {
          body: { start: new Date(now - 60_000).toISOString(), end: new Date(now).toISOString() },
        })
      ).statusCode,
    ).toBe(404);
    expect((await api.call('DELETE', `/schedules/${id}`)).statusCode).toBe(404);
  });

  test('a backfill whose start is not before its end is a 422', async () => {
    const id = `dup-${suffix}`;
    const now = new Date().toISOString();
    const res = await api.call('POST', `/schedules/${id}/backfill`, { body: { start: now, end: now } });
    expect(res.statusCode).toBe(422);
    expect(
      (await api.call('POST', `/schedules/${id}/backfill`, { body: { start: 'yesterday', end: now } })).statusCode,
    ).toBe(422);
  });
});
