/** The data layer's pure parts: the polling fallback's interval, the runs list's time window. */
import { runRefreshInterval } from '../../src/api/client';
import { withinWindow } from '../../src/pages/runs/time-window';

test('without its event stream a run is read every 2 s while it goes and not after', () => {
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
