/** Medians and the like, for repeated measurements. */

/** The median (the mean of the middle two for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? Number.NaN) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

export const max = (values: readonly number[]): number => (values.length ? Math.max(...values) : 0);
export const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);
