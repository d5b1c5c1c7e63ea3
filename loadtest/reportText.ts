/** How the load reports write numbers: milliseconds, counts, quantile lines. */
import type { Summary } from "./stats";

export function numbers(values: ReadonlyArray<number | null>): number[] {
  return values.filter((v): v is number => v !== null);
}

export function ms(value: number | null): string {
  return value === null ? "-" : value.toFixed(1);
}

/** A number with thousands separators and a fixed number of decimals; "-" when there is none. */
export function num(value: number | null, digits = 0): string {
  return value === null ? "-" : value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export function quantiles(s: Summary): string {
  return `p50 ${ms(s.p50)}  p95 ${ms(s.p95)}  p99 ${ms(s.p99)}  max ${ms(s.max)}`;
}

/** Counts by key as "A 2, B 1"; `none` when there are none. */
export function countsText(counts: Readonly<Record<string, number>>, none = "none"): string {
  const entries = Object.entries(counts);
  return entries.length === 0 ? none : entries.map(([key, n]) => `${key} ${n}`).join(", ");
}
