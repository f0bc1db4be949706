/**
 * The runs list's time filter: "started in the last N", sent to `GET /runs` as
 * `startedAfter` (Temporal visibility filters on the start time, so every page
 * is full and paging ends where the window does).
 */
export const timeWindows = {
  any: { label: 'any time', ms: undefined },
  '1h': { label: 'last hour', ms: 3600_000 },
  '24h': { label: 'last 24 hours', ms: 86_400_000 },
  '7d': { label: 'last 7 days', ms: 7 * 86_400_000 },
  '30d': { label: 'last 30 days', ms: 30 * 86_400_000 },
} as const;

export type TimeWindow = keyof typeof timeWindows;

/** The windows in the order the filter offers them. */
export const timeWindowIds: readonly TimeWindow[] = ['any', '1h', '24h', '7d', '30d'];

export function toTimeWindow(value: string | null): TimeWindow {
  return timeWindowIds.find((w) => w === value) ?? 'any';
}

/**
 * The start of `window` as the API's `startedAfter`, counted back from `now`; undefined for any time.
 *
 * @example
 * ```ts
 * startedAfter('24h', Date.parse('2026-03-01T12:00:00Z')); // '2026-02-29T12:00:00.000Z'
 * ```
 */
export function startedAfter(window: TimeWindow, now: number): string | undefined {
  const ms = timeWindows[window].ms;
  return ms === undefined ? undefined : new Date(now - ms).toISOString();
}
