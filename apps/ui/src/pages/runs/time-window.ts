/**
 * The runs list's time filter. `GET /runs` filters by pipeline, experiment and
 * state but not by time; it answers newest first, so "started in the last N"
 * is exact when applied to each page: keep the runs that started since then,
 * and stop paging once a page reaches a run older than that.
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
 * @example
 * ```ts
 * const { runs, reachedEnd } = withinWindow(page.runs, '24h', Date.now());
 * if (reachedEnd) hideNextPageButton();
 * ```
 */
export function withinWindow<R extends { startedAt: string }>(
  runs: readonly R[],
  window: TimeWindow,
  now: number,
): { runs: R[]; reachedEnd: boolean } {
  const ms = timeWindows[window].ms;
  if (ms === undefined) return { runs: [...runs], reachedEnd: false };
  const since = now - ms;
  const kept = runs.filter((run) => Date.parse(run.startedAt) >= since);
  return { runs: kept, reachedEnd: kept.length < runs.length };
}
