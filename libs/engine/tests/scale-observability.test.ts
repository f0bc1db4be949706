import { randomUUID } from 'node:crypto';
import { statusQuery } from '@kiln/engine-contract';
import { startHarness, tasksOf, type Harness } from './support/harness';
import { c, dag, item, pipeline, task } from './support/ir';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 120_000);
afterAll(() => h?.close());

describe('bounded history', () => {
  it('runs a 1,000-item loop in child-workflow batches with ordered fan-in', async () => {
    const items = Array.from({ length: 1000 }, (_, i) => i);
    const spec = pipeline('big-loop', {
      fan: {
        type: 'loop',
        dependsOn: [],
        items: c(items),
        parallelism: 200,
        body: dag({ noop: task({ value: item('fan') }) }),
      },
      gather: task({ value: { kind: 'collected', loop: 'fan', task: 'noop', output: 'out' } }, { after: ['fan'] }),
    });
    const started = Date.now();
    const { doc, workflowId } = await h.run(spec, {}, { parallelism: 200 });
    const seconds = (Date.now() - started) / 1000;
    expect(doc.state).toBe('SUCCEEDED');
    expect(tasksOf(doc, 'gather')[0]?.outputs.params['out']).toEqual(items);
    const summary = doc.tasks.find((t) => t.id === 'noop' && t.batched);
    expect(summary?.batched).toMatchObject({ total: 1000, counts: { succeeded: 1000 } });
    expect(summary?.batched?.childWorkflowIds).toHaveLength(10);
    // The parent's history grows with batches, not steps.
    const history = await h.client.workflow.getHandle(workflowId).fetchHistory();
    const events = history.events?.length ?? 0;
    expect(events).toBeLessThan(200);
    console.info(`1,000-item loop: ${seconds.toFixed(1)} s, parent history ${events} events`);
    // Generous: the file-backed dev server writes every event to SQLite, and CI machines are shared.
  }, 400_000);

  it('splits a loop with more batches than loopFanout again in grandchildren, keeping order', async () => {
    const items = Array.from({ length: 12 }, (_, i) => `item-${i}`);
    const spec = pipeline('split-loop', {
      fan: { type: 'loop', dependsOn: [], items: c(items), body: dag({ leaf: task({ value: item('fan') }) }) },
      gather: task({ value: { kind: 'collected', loop: 'fan', task: 'leaf', output: 'out' } }, { after: ['fan'] }),
    });
    // 12 items, 2 per batch, at most 3 children per workflow: 3 children of 4, each splitting into 2 of 2.
    const { doc } = await h.run(spec, {}, { loopBatchSize: 2, loopFanout: 3 });
    expect(doc.state).toBe('SUCCEEDED');
    expect(tasksOf(doc, 'gather')[0]?.outputs.params['out']).toEqual(items);
    const summary = doc.tasks.find((t) => t.id === 'leaf' && t.batched);
    expect(summary?.batched).toMatchObject({ total: 12, counts: { succeeded: 12 } });
    expect(summary?.batched?.childWorkflowIds.filter((id) => /-b\d-b\d$/.test(id))).toHaveLength(6);
  }, 120_000);
});

describe('observability', () => {
  it('answers the status query while running, with the run status document', async () => {
    const spec = pipeline(
      'observed',
      {
        first: task({ value: c('x') }),
        slow: task({ sleepMs: c(1500) }, { after: ['first'], settings: { displayName: 'Slow step' } }),
      },
      { params: { note: { kind: 'param', type: 'string', default: 'hi' } } },
    );
    const handle = await h.start(spec, {}, { experiment: 'exp-observed' });
    let seen;
    for (let i = 0; i < 100; i++) {
      seen = await handle.query(statusQuery);
      if (seen.tasks.some((t) => t.id === 'slow' && t.state === 'running')) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(seen).toMatchObject({
      workflowId: handle.workflowId,
      runId: handle.workflowId,
      pipeline: { name: 'observed' },
      params: { note: 'hi' },
      state: 'RUNNING',
      experiment: 'exp-observed',
    });
    expect(seen?.pipeline.digest).toMatch(/^sha256:/);
    expect(seen?.tasks.find((t) => t.id === 'first')).toMatchObject({
      state: 'succeeded',
      attempts: 1,
      executor: 'local',
      name: 'fake',
    });
    expect(seen?.tasks.find((t) => t.id === 'slow')).toMatchObject({ state: 'running', displayName: 'Slow step' });
    const final = await handle.result();
    expect(final).toMatchObject({ state: 'SUCCEEDED' });
    expect(final.finishedAt).toBeDefined();
    expect(h.log.records.find((r) => r.workflowId === handle.workflowId)?.state).toBe('SUCCEEDED');

    const description = await handle.describe();
    expect(await description.staticSummary()).toContain('observed');
    expect(await description.staticDetails()).toContain('exp-observed');
  }, 60_000);

  it('makes runs listable by search attributes', async () => {
    // The dev server outlives test runs: a fresh experiment name isolates this run's workflows.
    const experiment = `exp-${randomUUID()}`;
    const spec = pipeline('listed', { only: task({ exitCode: c(1) }) });
    const { workflowId } = await h.run(spec, {}, { experiment });
    const { doc } = await h.run(pipeline('listed', { only: task() }), {}, { experiment });
    const query = `KilnPipelineName = "listed" AND KilnExperiment = "${experiment}" AND KilnRunStatus = "FAILED"`;
    let found: string[] = [];
    // Visibility is eventually consistent.
    for (let i = 0; i < 50 && found.length === 0; i++) {
      found = [];
      for await (const wf of h.client.workflow.list({ query })) found.push(wf.workflowId);
      if (found.length === 0) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(found).toEqual([workflowId]);
    const described = await h.client.workflow.getHandle(doc.workflowId).describe();
    expect(described.searchAttributes['KilnRunStatus']).toEqual(['SUCCEEDED']);
    expect(described.searchAttributes['KilnPipelineDigest']?.[0]).toMatch(/^sha256:/);
  }, 60_000);

  it('names each step in the UI with an activity summary', async () => {
    const spec = pipeline('summaries', {
      fan: {
        type: 'loop',
        dependsOn: [],
        items: c(['a', 'b', 'c']),
        body: dag({ step: task({ value: item('fan') }) }),
      },
    });
    const { workflowId } = await h.run(spec);
    const history = await h.client.workflow.getHandle(workflowId).fetchHistory();
    const summaries = (history.events ?? [])
      .filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'runStep')
      .map((e) => e.userMetadata?.summary?.data)
      .map((data) => (data ? JSON.parse(Buffer.from(data).toString()) : undefined));
    expect(summaries.sort()).toEqual(['fake [1/3]', 'fake [2/3]', 'fake [3/3]']);
  }, 60_000);
});
