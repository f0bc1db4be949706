/** The data layer's pure parts: the polling fallback's interval, the runs list's time window. */
import { runRefreshInterval } from '../../src/api/client';
import { startedAfter } from '../../src/pages/runs/time-window';

test('without its event stream a run is read every 2 s while it goes and not after', () => {
  expect(runRefreshInterval(undefined)).toBe(2000);
  expect(runRefreshInterval({ state: 'RUNNING' })).toBe(2000);
  expect(runRefreshInterval({ state: 'PENDING' })).toBe(2000);
  expect(runRefreshInterval({ state: 'FAILED' })).toBe(false);
});

test('the runs list time window is sent as startedAfter, counted back from when the filters were applied', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');
  expect(startedAfter('1h', now)).toBe('2026-03-01T11:00:00.000Z');
  expect(startedAfter('7d', now)).toBe('2026-02-22T12:00:00.000Z');
  expect(startedAfter('any', now)).toBeUndefined();
});
