import { startHarness, states, tasksOf, type Harness } from './support/harness';
import { c, dag, out, pipeline, task } from './support/ir';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 120_000);
afterAll(() => h?.close());

const retry = (maxAttempts: number, retryOn: ('user' | 'infrastructure')[] = ['user', 'infrastructure']) => ({
  maxAttempts,
  initialBackoffSeconds: 0.05,
  backoffFactor: 2,
  maxBackoffSeconds: 1,
  retryOn,
});

describe('failure handling', () => {
  it('skips tasks downstream of a failure, lets other branches finish, and names the failed task', async () => {
    const spec = pipeline('upstream-failure', {
      broken: task({ exitCode: c(3) }),
      downstream: task({ value: out('broken') }),
      after: task({}, { after: ['downstream'] }),
      independent: task({ sleepMs: c(200) }),
    });
    const { doc, status, error } = await h.run(spec);
    expect(status).toBe('FAILED');
    expect(doc.state).toBe('FAILED');
    expect(states(doc)).toEqual({
      broken: 'failed',
      downstream: 'skipped',
      after: 'skipped',
      independent: 'succeeded',
    });
    expect(error).toContain('broken');
    const broken = tasksOf(doc, 'broken')[0];
    expect(broken?.exitCode).toBe(3);
    expect(broken?.error).toContain('exit code 3');
    expect(tasksOf(doc, 'downstream')[0]?.reason).toContain('broken');
  }, 60_000);

  it('runs a task that ignores upstream failure', async () => {
    const spec = pipeline('ignore-upstream', {
      broken: task({ exitCode: c(1) }),
      cleanup: task({}, { after: ['broken'], settings: { ignoreUpstreamFailure: true } }),
    });
    const { doc } = await h.run(spec);
    expect(states(doc)).toEqual({ broken: 'failed', cleanup: 'succeeded' });
    expect(doc.state).toBe('FAILED');
  }, 60_000);

  it('with failFast stops running steps and starts nothing new, but still runs exit handlers', async () => {
    const spec = pipeline(
      'fail-fast',
      {
        guard: {
          type: 'exitHandler',
          dependsOn: [],
          body: dag({
            broken: task({ sleepMs: c(100), exitCode: c(1) }),
            slow: task({ sleepMs: c(120_000) }),
            later: task({}, { after: ['slow'] }),
          }),
          exit: dag({ notify: task({ status: { kind: 'finalStatus' } }) }),
        },
      },
      { settings: { failFast: true } },
    );
    const started = Date.now();
    const { doc } = await h.run(spec);
    // Far below the slow step's 120 s: failFast stopped it.
    expect(Date.now() - started).toBeLessThan(45_000);
    expect(states(doc)).toMatchObject({ broken: 'failed', slow: 'cancelled', later: 'skipped', notify: 'succeeded' });
    expect(doc.state).toBe('FAILED');
  }, 60_000);

  it('gives the exit handler the final status naming the failed tasks', async () => {
    const spec = pipeline('exit-handler', {
      guard: {
        type: 'exitHandler',
        dependsOn: [],
        body: dag({ ok: task(), broken: task({ exitCode: c(2) }) }),
        exit: dag({ notify: task({ value: { kind: 'finalStatus' } }) }),
      },
    });
    const { doc } = await h.run(spec);
    const notify = tasksOf(doc, 'notify')[0];
    expect(notify?.state).toBe('succeeded');
    expect(notify?.outputs.params['out']).toMatchObject({
      state: 'FAILED',
      failedTasks: ['broken'],
      pipelineName: 'exit-handler',
    });
    expect(doc.state).toBe('FAILED');
  }, 60_000);

  it('retries a step that fails twice and succeeds on attempt 3, each attempt visible', async () => {
    const spec = pipeline('flaky', { flaky: task({ failAttempts: c(2) }, { settings: { retry: retry(3) } }) });
    const { doc, workflowId } = await h.run(spec);
    expect(doc.state).toBe('SUCCEEDED');
    const flaky = tasksOf(doc, 'flaky')[0];
    expect(flaky?.attempts).toBe(3);
    expect(flaky?.state).toBe('succeeded');
    const calls = h.log.calls.filter((call) => call.taskId === 'flaky' && call.params['failAttempts'] === 2);
    // New numbered attempts from the workflow; Temporal never retried one of them itself.
    expect(calls.map((call) => [call.attempt, call.temporalAttempt])).toEqual([
      [1, 1],
      [2, 1],
      [3, 1],
    ]);
    // Each attempt in the task's history: its number, times, and how it ended.
    const history = flaky?.attemptHistory ?? [];
    expect(history.map((a) => [a.attempt, a.state, a.failureClass, a.reason, a.exitCode])).toEqual([
      [1, 'failed', 'user', 'Error', 1],
      [2, 'failed', 'user', 'Error', 1],
      [3, 'succeeded', undefined, undefined, 0],
    ]);
    expect(history[0]?.error).toBe('flaky failure on attempt 1');
    for (const [i, a] of history.entries()) {
      expect(Date.parse(a.finishedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(a.startedAt));
      const next = history[i + 1];
      if (next) expect(Date.parse(next.startedAt)).toBeGreaterThanOrEqual(Date.parse(a.finishedAt ?? ''));
    }
    // The user failures it retried are recorded as KilnUserError, and none of them claims to be non-retryable.
    const events = await h.client.workflow.getHandle(workflowId).fetchHistory();
    const failed = (events.events ?? []).flatMap((event) => {
      const failure = event.activityTaskFailedEventAttributes?.failure;
      return failure ? [failure.applicationFailureInfo] : [];
    });
    expect(failed).toHaveLength(2);
    for (const info of failed) {
      expect(info?.type).toBe('KilnUserError');
      expect(info?.nonRetryable ?? false).toBe(false);
    }
  }, 60_000);

  it('fails after the last user attempt with the error of that attempt', async () => {
    const spec = pipeline('flaky-exhausted', {
      flaky: task({ failAttempts: c(5) }, { settings: { retry: retry(2) } }),
    });
    const { doc } = await h.run(spec);
    expect(tasksOf(doc, 'flaky')[0]).toMatchObject({ state: 'failed', attempts: 2 });
    expect(tasksOf(doc, 'flaky')[0]?.error).toContain('attempt 2');
  }, 60_000);

  it('retries infrastructure errors within one attempt and user errors as new attempts', async () => {
    // Infra errors are retried by Temporal (same Kiln attempt); no user retries configured at all.
    const infra = pipeline('infra-retry', { node: task({ infraFailures: c(2), value: c('infra') }) });
    const { doc } = await h.run(infra);
    expect(tasksOf(doc, 'node')[0]).toMatchObject({ state: 'succeeded', attempts: 1 });
    const calls = h.log.calls.filter((call) => call.params['value'] === 'infra');
    expect(calls.map((call) => [call.attempt, call.temporalAttempt])).toEqual([
      [1, 1],
      [1, 2],
      [1, 3],
    ]);

    // A user failure without a user retry policy is not retried by Temporal.
    const user = pipeline('user-no-retry', { node: task({ exitCode: c(1), value: c('user') }) });
    const second = await h.run(user);
    expect(tasksOf(second.doc, 'node')[0]).toMatchObject({ state: 'failed', attempts: 1 });
    expect(h.log.calls.filter((call) => call.params['value'] === 'user')).toHaveLength(1);

    // A policy that retries only user failures turns infrastructure retries off.
    const userOnly = pipeline('user-only', {
      node: task({ infraFailures: c(1), value: c('user-only') }, { settings: { retry: retry(3, ['user']) } }),
    });
    const third = await h.run(userOnly);
    expect(tasksOf(third.doc, 'node')[0]).toMatchObject({ state: 'failed', attempts: 1 });
  }, 60_000);

  it('never retries configuration errors', async () => {
    const spec = pipeline('config-error', {
      node: task({ configError: c(true), value: c('cfg') }, { settings: { retry: retry(3) } }),
    });
    const { doc } = await h.run(spec);
    expect(tasksOf(doc, 'node')[0]).toMatchObject({ state: 'failed', attempts: 1 });
    expect(h.log.calls.filter((call) => call.params['value'] === 'cfg')).toHaveLength(1);
  }, 60_000);

  it('fails a step that exceeds its timeout', async () => {
    const spec = pipeline('timeout', { slow: task({ sleepMs: c(120_000) }, { settings: { timeoutSeconds: 1 } }) });
    const started = Date.now();
    const { doc } = await h.run(spec);
    // Far below the step's 120 s: the 1 s timeout ended it.
    expect(Date.now() - started).toBeLessThan(45_000);
    expect(tasksOf(doc, 'slow')[0]?.state).toBe('failed');
    expect(tasksOf(doc, 'slow')[0]?.error).toMatch(/timed out/);
    expect(tasksOf(doc, 'slow')[0]?.attemptHistory).toEqual([
      expect.objectContaining({ attempt: 1, state: 'failed', failureClass: 'timeout', reason: 'DeadlineExceeded' }),
    ]);
  }, 60_000);
});

describe('run timeout', () => {
  it('stops the run at settings.timeoutSeconds, runs exit handlers and fails', async () => {
    const spec = pipeline(
      'run-timeout',
      {
        guard: {
          type: 'exitHandler',
          dependsOn: [],
          body: dag({ slow: task({ sleepMs: c(120_000) }), next: task({}, { after: ['slow'] }) }),
          exit: dag({ notify: task({ value: { kind: 'finalStatus' } }) }),
        },
      },
      { settings: { timeoutSeconds: 1 } },
    );
    const started = Date.now();
    const { doc, status, error } = await h.run(spec);
    // Far below the step's 120 s: the run timeout ended it.
    expect(Date.now() - started).toBeLessThan(45_000);
    expect(status).toBe('FAILED');
    expect(error).toContain('timed out after 1 s');
    expect(states(doc)).toEqual({ slow: 'cancelled', next: 'cancelled', notify: 'succeeded' });
    expect(tasksOf(doc, 'notify')[0]?.outputs.params['out']).toMatchObject({ state: 'FAILED', error: 'run timed out' });
  }, 60_000);
});

describe('parameters', () => {
  const spec = pipeline(
    'params',
    { echo: task({ value: { kind: 'param', name: 'mode' } }) },
    {
      params: {
        mode: { kind: 'param', type: 'string', enum: ['fast', 'slow'], default: 'fast' },
        count: { kind: 'param', type: 'int' },
      },
    },
  );

  it('applies defaults and passes values to tasks', async () => {
    const { doc } = await h.run(spec, { count: 2 });
    expect(doc.params).toEqual({ mode: 'fast', count: 2 });
    expect(tasksOf(doc, 'echo')[0]?.outputs.params['out']).toBe('fast');
  }, 60_000);

  it('fails at once on a missing, mistyped or out-of-enum parameter', async () => {
    const handle = await h.start(spec, { mode: 'medium', count: 1.5, extra: 1 });
    const error = await handle.result().then(
      () => undefined,
      (e: Error) => e,
    );
    const message = (error as { cause?: Error } | undefined)?.cause?.message ?? '';
    expect(message).toContain('parameter "count": must be int');
    expect(message).toContain('parameter "mode": must be one of "fast", "slow"');
    expect(message).toContain('parameter "extra": unknown parameter');
    const missing = await h.start(spec, {});
    const missingError = await missing.result().then(
      () => undefined,
      (e: { cause?: Error }) => e.cause?.message,
    );
    expect(missingError).toContain('parameter "count": required (int) and has no default');
  }, 60_000);
});
