import type { Node } from '@kiln/ir';
import { startHarness, states, type Harness } from './support/harness';
import { c, dag, item, out, pipeline, task } from './support/ir';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 120_000);
afterAll(() => h?.close());

describe('scheduling', () => {
  it('runs independent branches in parallel and dependents after their inputs', async () => {
    const spec = pipeline('parallel-branches', {
      a: task({ value: c('A'), sleepMs: c(300) }),
      b: task({ value: c('B'), sleepMs: c(300) }),
      join: task({ value: out('a'), status: out('b') }),
    });
    const { doc } = await h.run(spec);
    expect(doc.state).toBe('SUCCEEDED');
    expect(states(doc)).toEqual({ a: 'succeeded', b: 'succeeded', join: 'succeeded' });
    const calls = h.log.calls.filter(
      (call) => call.params['sleepMs'] === 300 && ['A', 'B'].includes(call.params['value'] as string),
    );
    const [first, second] = calls;
    // The two sleeps overlapped in time.
    expect(
      first && second && first.startedAt < (second.finishedAt ?? 0) && second.startedAt < (first.finishedAt ?? 0),
    ).toBe(true);
    expect(doc.tasks.find((t) => t.id === 'join')?.outputs.params['out']).toBe('A');
  }, 60_000);
});

describe('pipeline settings', () => {
  it('passes settings.podTtlSeconds to every step, in loop batches too, and nothing when unset', async () => {
    const root: Record<string, Node> = {
      one: task({ value: c('one') }),
      fan: { type: 'loop', dependsOn: [], items: c([1, 2, 3]), body: dag({ each: task({ value: item('fan') }) }) },
    };
    const withTtl = await h.run(
      pipeline('pod-ttl', root, { settings: { podTtlSeconds: 90 } }),
      {},
      { loopBatchSize: 2 },
    );
    const without = await h.run(pipeline('no-pod-ttl', root));
    const ttls = (runId: string) =>
      h.log.calls.filter((call) => call.executionKey.startsWith(`${runId}.`)).map((call) => call.podTtlSeconds);
    expect(ttls(withTtl.doc.runId)).toEqual([90, 90, 90, 90]);
    expect(ttls(without.doc.runId)).toEqual([undefined, undefined, undefined, undefined]);
  }, 60_000);
});
