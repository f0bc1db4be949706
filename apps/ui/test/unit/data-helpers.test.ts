/** The data layer's pure parts: loop iterations from a status document, the runs list's time window. */
import { iterationsOf, runRefreshInterval } from '../../src/api/client';
import { withinWindow } from '../../src/pages/runs/time-window';
import { showcaseDone, showcaseRunning } from '../fixtures/showcase-runs';

describe('iterations of a loop, derived from the status document (the stand-in for the paged route)', () => {
  test('an inline loop lists every iteration, in index order, with its worst state', () => {
    const { iterations, summarized } = iterationsOf(showcaseDone().tasks, {
      members: ['score-item', 'keep'],
      loopDepth: 0,
    });
    expect(summarized).toBe(false);
    expect(iterations.map((i) => i.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(iterations[5]?.state).toBe('failed');
    expect(iterations[7]?.state).toBe('succeeded');
    expect(iterations[0]?.state).toBe('skipped');
    expect(iterations[5]?.tasks.map((t) => t.id)).toEqual(['score-item', 'keep']);
  });

  test('a batched loop lists the iterations it kept one by one and says it summarized the rest', () => {
    const { iterations, summarized } = iterationsOf(showcaseRunning().tasks, {
      members: ['score-item', 'keep'],
      loopDepth: 0,
    });
    expect(summarized).toBe(true);
    expect(iterations.map((i) => [i.index, i.state])).toEqual([
      [17, 'failed'],
      [4242, 'failed'],
      [9001, 'failed'],
    ]);
  });
});

test('a run is refreshed every 2 s while it goes and not after', () => {
  expect(runRefreshInterval(undefined)).toBe(2000);
  expect(runRefreshInterval({ state: 'RUNNING' })).toBe(2000);
  expect(runRefreshInterval({ state: 'PENDING' })).toBe(2000);
  expect(runRefreshInterval({ state: 'FAILED' })).toBe(false);
});

describe('the runs list time window, over newest-first pages', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');
  const runs = ['11:59', '11:30', '10:00', '09:00'].map((t) => ({ startedAt: `2026-03-01T${t}:00Z` }));

  test('keeps the runs started inside it and says when a page reached past it', () => {
    expect(withinWindow(runs, '1h', now)).toEqual({ runs: runs.slice(0, 2), reachedEnd: true });
  });

  test('any time keeps everything and never stops paging', () => {
    expect(withinWindow(runs, 'any', now)).toEqual({ runs, reachedEnd: false });
  });
});
