/** The request and response schemas: what they refuse, with what message, and what they share with the engine. */
import { runStatusDocumentSchema, runViewSchema } from '@kiln/engine-contract/schemas';
import {
  apiRoutes,
  backfillBodySchema,
  createScheduleBodySchema,
  runResourceSchema,
  runsMetricsQuerySchema,
} from '../src/index';

const schedule = { id: 'nightly', pipeline: { name: 'training' }, catchupWindow: '1h' };

test('a schedule needs cron expressions or an interval, and says so at "cron"', () => {
  const result = createScheduleBodySchema.safeParse(schedule);
  expect(result.success).toBe(false);
  expect(result.error?.issues).toEqual([
    expect.objectContaining({
      path: ['cron'],
      message: 'give "cron" (one or more cron expressions) or "interval" ({ every })',
    }),
  ]);
});

test('a schedule gets its defaults, one cron expression becomes a list, seconds become a duration', () => {
  expect(createScheduleBodySchema.parse({ ...schedule, cron: '0 3 * * *', catchupWindow: 600 })).toEqual({
    ...schedule,
    cron: ['0 3 * * *'],
    catchupWindow: '600s',
    params: {},
    timezone: 'UTC',
    overlap: 'SKIP',
    pauseOnFailure: false,
    paused: false,
  });
  expect(
    createScheduleBodySchema.safeParse({ ...schedule, cron: '* * * * *', timezone: 'Mars/Olympus' }).error?.issues[0],
  ).toMatchObject({
    path: ['timezone'],
    message: 'must be an IANA time zone such as UTC or Europe/Paris',
  });
});

test('a backfill runs forward, over at most a year', () => {
  const at = (iso: string) => `${iso}T00:00:00Z`;
  expect(
    backfillBodySchema.safeParse({ start: at('2025-01-02'), end: at('2025-01-01') }).error?.issues[0],
  ).toMatchObject({
    path: ['start'],
    message: 'backfill start must be before end',
  });
  expect(
    backfillBodySchema.safeParse({ start: at('2020-01-01'), end: at('2025-01-01') }).error?.issues[0],
  ).toMatchObject({
    path: ['end'],
    message: 'backfill at most one year at a time',
  });
  expect(backfillBodySchema.parse({ start: at('2025-01-01'), end: at('2025-01-02') }).overlap).toBe('ALLOW_ALL');
});

test("the run resource is the engine's status document with Temporal's view and an origin, not a copy of it", () => {
  expect(runResourceSchema.shape.tasks).toBe(runStatusDocumentSchema.shape.tasks);
  expect(runResourceSchema.shape.temporal).toBe(runViewSchema.shape.temporal);
  const run = {
    runId: 'kiln-hello-1',
    workflowId: 'kiln-hello-1',
    pipeline: { name: 'hello', digest: `sha256:${'0'.repeat(64)}` },
    params: { who: 'kiln' },
    state: 'RUNNING',
    startedAt: '2025-01-01T00:00:00Z',
    tasks: [],
    temporal: { status: 'RUNNING', runId: 'r', historyLength: 12 },
    origin: { startedBy: 'ci', pipelineDigest: `sha256:${'0'.repeat(64)}` },
  };
  expect(apiRoutes.getRun.responses[200].parse(run)).toEqual(run);
  expect(apiRoutes.getRun.responses[200].safeParse({ ...run, state: 'DONE' }).error?.issues[0]?.path).toEqual([
    'state',
  ]);
});

test('query strings are read as the server reads them: numbers, loop indices and flags from text', () => {
  expect(apiRoutes.listRuns.query.parse({ pageSize: '20' })).toEqual({ pageSize: 20 });
  expect(apiRoutes.getStepLog.query.parse({ iteration: '0,2', follow: 'true' })).toEqual({
    iteration: [0, 2],
    follow: true,
    waitSeconds: 3600,
  });
  expect(apiRoutes.listRuns.query.safeParse({ experiment: "a' OR '1" }).success).toBe(false);
});

describe('run insights', () => {
  it('takes 1 to 50 comma-separated run ids for metrics, each checked', () => {
    expect(runsMetricsQuerySchema.parse({ runIds: 'kiln-a,kiln-b' }).runIds).toEqual(['kiln-a', 'kiln-b']);
    expect(runsMetricsQuerySchema.safeParse({ runIds: 'kiln-a,bad id' }).success).toBe(false);
    const many = Array.from({ length: 51 }, (_, i) => `r${i}`).join(',');
    expect(runsMetricsQuerySchema.safeParse({ runIds: many }).error?.issues[0]?.message).toBe('at most 50 run ids');
  });
});
