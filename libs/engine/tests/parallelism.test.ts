/**
 * A loop's explicit `parallelism` is honoured above the run's default of 32, and
 * capped, with a note in the status document, only by a limit the run sets.
 */
import type { RunStatusDocument } from '@kiln/engine-contract';
import type { StepCall } from './support/fake-activities';
import { startHarness, type Harness } from './support/harness';
import { c, dag, item, pipeline, task } from './support/ir';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 120_000);
afterAll(() => h?.close());

/** 60 iterations of 5 s each (long enough to overlap on a loaded machine), the loop asking for 50 at once. */
const wide = pipeline('wide-loop', {
  fan: {
    type: 'loop',
    dependsOn: [],
    items: c(Array.from({ length: 60 }, (_, i) => i)),
    parallelism: 50,
    body: dag({ work: task({ value: item('fan'), sleepMs: c(5000) }) }),
  },
});

/** The most calls running at one moment (a finish sorts before a start at the same instant). */
function peakConcurrency(calls: StepCall[]): number {
  const events = calls.flatMap((call) => [
    { at: call.startedAt, delta: 1 },
    { at: call.finishedAt ?? Number.POSITIVE_INFINITY, delta: -1 },
  ]);
  events.sort((a, b) => a.at - b.at || a.delta - b.delta);
  let running = 0;
  let peak = 0;
  for (const event of events) {
    running += event.delta;
    peak = Math.max(peak, running);
  }
  return peak;
}

async function runWide(options: { parallelism?: number }): Promise<{ doc: RunStatusDocument; peak: number }> {
  const before = h.log.calls.length;
  const { doc } = await h.run(wide, {}, options);
  const calls = h.log.calls.slice(before).filter((call) => call.taskId === 'work');
  return { doc, peak: peakConcurrency(calls) };
}

describe('explicit loop parallelism', () => {
  it('runs more than the default 32 iterations at once when the loop asks for 50, with no note', async () => {
    const { doc, peak } = await runWide({});
    expect(doc.state).toBe('SUCCEEDED');
    expect(peak).toBeGreaterThan(32);
    expect(peak).toBeLessThanOrEqual(50);
    expect(doc.notes).toBeUndefined();
  }, 120_000);

  it("caps the loop at the run's own parallelism and says so in the status document", async () => {
    const { doc, peak } = await runWide({ parallelism: 20 });
    expect(doc.state).toBe('SUCCEEDED');
    expect(peak).toBeLessThanOrEqual(20);
    expect(doc.notes).toEqual([
      `loop "fan" asks for parallelism 50; it runs at most 20 iterations at once (the run's parallelism option)`,
    ]);
  }, 120_000);
});
