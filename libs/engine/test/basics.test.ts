import { startHarness, states, type Harness } from './support/harness';
import { c, out, pipeline, task } from './support/ir';

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
    const calls = h.log.calls.filter((call) => call.params['sleepMs'] === 300 && ['A', 'B'].includes(call.params['value'] as string));
    const [first, second] = calls;
    // The two sleeps overlapped in time.
    expect(first && second && first.startedAt < (second.finishedAt ?? 0) && second.startedAt < (first.finishedAt ?? 0)).toBe(true);
    expect(doc.tasks.find((t) => t.id === 'join')?.outputs.params['out']).toBe('A');
  }, 60_000);
});
