/** What `npm run db` prints: table sizes, a prune's counts, its progress lines. Pure text. */
import type { PruneProgress, PruneReport } from "./prune";
import type { RetentionPolicy } from "./policy";
import type { TableSize } from "./tableSizes";

export function formatBytes(bytes: number): string {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** One row per table: rows and bytes on disk (with indexes), right-aligned. */
export function formatStats(sizes: readonly TableSize[]): string {
  const header = ["table", "rows", "size"];
  const rows = sizes.map((s) => [s.table, s.rows.toLocaleString("en-US"), formatBytes(s.bytes)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
  return [line(header), ...rows.map(line)].join("\n");
}

export function describePolicy(policy: RetentionPolicy): string {
  const keep = Object.entries(policy.journalKeep).map(([kind, n]) => `${kind} ${n}`);
  return [
    `audit events: ${policy.auditDays > 0 ? `older than ${policy.auditDays} days` : "all kept"}`,
    `journal: ${policy.journalDays > 0 ? `older than ${policy.journalDays} days` : "no age limit"}; ${keep.length > 0 ? `newest per session: ${keep.join(", ")}` : "no count limit"}`,
    `update log: ${policy.compactLog ? "compacted to the updates after each snapshot" : "kept whole"}`,
  ].join("\n");
}

export function formatPruneReport(report: PruneReport): string {
  return Object.entries(report)
    .map(([table, n]) => `${table}: ${n.toLocaleString("en-US")} rows deleted`)
    .join("\n");
}

/** A progress line at most every `everyMs` (long runs say they are alive; short ones say nothing). */
export function progressLines(print: (line: string) => void, everyMs = 1000, now: () => number = Date.now): (p: PruneProgress) => void {
  let last = now();
  return ({ table, total }) => {
    if (now() - last < everyMs) return;
    last = now();
    print(`… ${table}: ${total.toLocaleString("en-US")} rows deleted so far`);
  };
}
