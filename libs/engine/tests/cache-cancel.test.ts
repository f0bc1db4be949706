import { statusQuery } from '@kiln/engine-contract';
import { startHarness, states, tasksOf, type Harness } from './support/harness';
import { c, dag, item, out, pipeline, task } from './support/ir';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 120_000);
afterAll(() => h?.close());

describe('caching', () => {
  it('serves a second identical run from the cache without calling the executor', async () => {
    const spec = pipeline('cached', {
      prepare: task({ value: c('cache-me') }),
      train: task({ value: out('prepare'), sleepMs: c(1) }),
    });
    const first = await h.run(spec, {}, { cache: true });
    expect(states(first.doc)).toEqual({ prepare: 'succeeded', train: 'succeeded' });
    const calls = h.log.calls.length;
    const second = await h.run(spec, {}, { cache: true });
    expect(states(second.doc)).toEqual({ prepare: 'cached', train: 'cached' });
    expect(tasksOf(second.doc, 'train')[0]).toMatchObject({ cached: true, outputs: { params: { out: 'cache-me' } } });
    expect(h.log.calls.length).toBe(calls);
  }, 60_000);

  it('misses entries older than maxStaleness and honours caching off per task', async () => {
    const spec = pipeline('stale', {
      fresh: task({ value: c('stale-1') }, { settings: { caching: { enabled: true, maxStalenessSeconds: 0 } } }),
      never: task({ value: c('stale-2') }, { settings: { caching: { enabled: false } } }),
    });
    await h.run(spec, {}, { cache: true });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const second = await h.run(spec, {}, { cache: true });
    expect(states(second.doc)).toEqual({ fresh: 'succeeded', never: 'succeeded' });
  }, 60_000);
});

/** The activities a run's history schedules, each with its type and its Temporal UI summary. */
async function scheduledActivities(workflowId: string): Promise<{ type: string; summary?: string }[]> {
  const history = await h.client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? []).flatMap((event) => {
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (!scheduled) return [];
    const data = event.userMetadata?.summary?.data;
    return [
      {
        type: scheduled.activityType?.name ?? '',
        ...(data ? { summary: JSON.parse(Buffer.from(data).toString('utf8')) as string } : {}),
      },
    ];
  });
}

describe('cache activities', () => {
  it('name the step in the Temporal UI, and a step with caching off schedules none', async () => {
    const spec = pipeline('cache-summaries', {
      deploy: task({ value: c('summaries') }, { settings: { displayName: 'deploy-model' } }),
      uncached: task({ value: c('never') }, { settings: { caching: { enabled: false } } }),
    });
    const first = await h.run(spec, {}, { cache: true });
    expect(await scheduledActivities(first.workflowId)).toEqual(
      expect.arrayContaining([
        { type: 'lookupCache', summary: 'cache lookup • deploy-model' },
        { type: 'saveCache', summary: 'cache save • deploy-model' },
      ]),
    );
    const second = await h.run(spec, {}, { cache: true });
    expect(states(second.doc)).toEqual({ deploy: 'cached', uncached: 'succeeded' });
    const activities = await scheduledActivities(second.workflowId);
    expect(activities.filter((a) => a.type === 'lookupCache')).toEqual([
      { type: 'lookupCache', summary: 'cache lookup • deploy-model' },
    ]);
    expect(activities.filter((a) => a.type === 'saveCache')).toEqual([]);
    // The whole run with the cache off: the steps only (the run's own bookkeeping is local), no cache activity.
    const off = await h.run(spec, {}, { cache: false });
    expect((await scheduledActivities(off.workflowId)).map((a) => a.type).sort()).toEqual(['runStep', 'runStep']);
    // A run on this code records one patch marker, standing for every patch; its context and record come from local activities.
    const markers = ((await h.client.workflow.getHandle(off.workflowId).fetchHistory()).events ?? []).flatMap(
      (event) => event.markerRecordedEventAttributes?.markerName ?? [],
    );
    expect(markers).toEqual(['core_patch', 'core_local_activity', 'core_local_activity']);
  }, 60_000);
});

describe('cancellation', () => {
  it('stops running steps, runs the exit handler and ends CANCELLED', async () => {
    const spec = pipeline('cancel-me', {
      guard: {
        type: 'exitHandler',
        dependsOn: [],
        body: dag({
          long: task({ sleepMs: c(120_000), value: c('long'), stoppedPod: c('kiln-long-1') }),
          next: task({}, { after: ['long'] }),
        }),
        exit: dag({ cleanup: task({ value: { kind: 'finalStatus' } }) }),
      },
    });
    const handle = await h.start(spec);
    // Wait until the step runs, then cancel.
    for (let i = 0; i < 100; i++) {
      const doc = await handle.query(statusQuery);
      if (doc.tasks.some((t) => t.id === 'long' && t.state === 'running')) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const cancelledAt = Date.now();
    await handle.cancel();
    await expect(handle.result()).rejects.toThrow();
    // Far below the step's 120 s: the step was stopped, not waited for.
    expect(Date.now() - cancelledAt).toBeLessThan(45_000);
    const description = await handle.describe();
    expect(description.status.name).toBe('CANCELLED');
    const doc = h.log.records.find((r) => r.workflowId === handle.workflowId);
    expect(doc?.state).toBe('CANCELLED');
    expect(doc && states(doc)).toEqual({ long: 'cancelled', next: 'cancelled', cleanup: 'succeeded' });
    // What the executor said it stopped (the cancellation's details) reaches the status entry.
    expect(doc && tasksOf(doc, 'long')[0]?.pod).toEqual({ namespace: 'fake', name: 'kiln-long-1' });
    expect(doc && tasksOf(doc, 'next')[0]?.pod).toBeUndefined();
    // The attempt it stopped, with the pod, in the task's attempt history; a task that never started has none.
    expect(doc && tasksOf(doc, 'long')[0]?.attemptHistory).toEqual([
      expect.objectContaining({
        attempt: 1,
        state: 'cancelled',
        failureClass: 'cancelled',
        reason: 'Cancelled',
        pod: { namespace: 'fake', name: 'kiln-long-1' },
      }),
    ]);
    expect(doc && tasksOf(doc, 'next')[0]?.attemptHistory).toBeUndefined();
    expect(doc && tasksOf(doc, 'cleanup')[0]?.outputs.params['out']).toMatchObject({ state: 'CANCELLED' });
    expect(h.log.calls.find((call) => call.params['value'] === 'long')?.outcome).toBe('cancelled');
  }, 60_000);

  it('cancels loop iterations running in child-workflow batches', async () => {
    const spec = pipeline('cancel-batched', {
      fan: {
        type: 'loop',
        dependsOn: [],
        items: c([1, 2, 3, 4, 5, 6]),
        body: dag({ slow: task({ sleepMs: c(30_000), value: item('fan') }) }),
      },
      after: task({}, { after: ['fan'] }),
    });
    const handle = await h.start(spec, {}, { loopBatchSize: 2 });
    for (let i = 0; i < 100; i++) {
      if (h.log.calls.filter((call) => call.taskId === 'slow' && call.outcome === undefined).length >= 6) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await handle.cancel();
    await expect(handle.result()).rejects.toThrow();
    expect((await handle.describe()).status.name).toBe('CANCELLED');
    const doc = h.log.records.find((r) => r.workflowId === handle.workflowId);
    expect(doc?.state).toBe('CANCELLED');
    expect(doc && states(doc)['after']).toBe('cancelled');
    const slow = h.log.calls.filter((call) => call.taskId === 'slow');
    expect(slow.every((call) => call.outcome === 'cancelled')).toBe(true);
  }, 60_000);
});
