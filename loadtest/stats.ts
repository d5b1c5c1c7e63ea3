/** Percentiles and summaries of timing samples (milliseconds), for the load reports. */

export interface Summary {
  count: number;
  min: number | null;
  mean: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
}

/**
 * Nearest-rank percentile of ascending-sorted values: the smallest value such that at least p% of
 * the samples are at or below it. Always a real sample, never an interpolation.
 */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within 0..100, got ${p}`);
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? null;
}

export function sortAscending(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

export function summarize(values: readonly number[]): Summary {
  const sorted = sortAscending(values);
  const count = sorted.length;
  return {
    count,
    min: sorted[0] ?? null,
    mean: count === 0 ? null : sorted.reduce((sum, v) => sum + v, 0) / count,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[count - 1] ?? null,
  };
}

/** Points of the empirical CDF: for each sorted sample, the fraction (0..1] of samples at or below it. */
export function cdf(values: readonly number[]): Array<{ value: number; fraction: number }> {
  const sorted = sortAscending(values);
  return sorted.map((value, i) => ({ value, fraction: (i + 1) / sorted.length }));
}

/** How many times each key occurs, keys in first-seen order. */
export function countBy(keys: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const key of keys) counts[key] = (counts[key] ?? 0) + 1;
  return counts;
}
