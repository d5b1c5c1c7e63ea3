/**
 * The soak report: every target's numbers side by side (JSON, Markdown, an SVG of the window
 * over time) and the lines printed at the end of a run.
 */
import { describeGeneratorUse, saturationWarning } from "./generatorUse";
import { renderPanels, type Panel, type Series } from "./lineChart";
import { writeReportFiles } from "./reportFiles";
import { ms, num } from "./reportText";
import type { SoakResult } from "./space/soak";
import type { TargetName } from "./space/target";
import { summarize, type Summary } from "./stats";
import { TARGET_COLORS, TARGET_LABELS } from "./targetStyle";

/** The issue's numbers for a soak of 1,000 clients (50 rooms x 20 players) on a 2-core machine. */
export const SOAK_GOALS = { latencyP99Ms: 50, loopLagP99Ms: 20, bytesRatioVsSnapshot: 10 } as const;

export interface TargetSummary {
  target: TargetName;
  passed: boolean;
  /** Why it failed, when it did. */
  failures: string[];
  clients: number;
  joined: number;
  decodingClients: number;
  latencyMs: Summary;
  bytesPerClientPerSecond: number | null;
  /** Snapshot baseline's bytes per client per second divided by this target's. */
  bytesRatioVsSnapshot: number | null;
  serverCpuPercent: { mean: number | null; max: number | null };
  serverRssMbMax: number | null;
  /** The server's event-loop lag p99 over the whole window. */
  loopLagP99Ms: number | null;
  /** The event-loop lag p99 of each sampled second, summarised over the window. */
  loopLagPerSecondP99Ms: Summary;
  loadScriptCpuPercent: number | null;
  /** The load generator's process CPU and each client thread's event-loop utilization, in words. */
  generatorUse: string;
  /** Set when a client thread was saturated: the latency numbers then measure the generator too. */
  generatorWarning: string | null;
}

export interface SoakReport {
  kind: "soak";
  startedAt: string;
  rooms: number;
  playersPerRoom: number;
  inputsPerSecond: number;
  passed: boolean;
  summaries: TargetSummary[];
  results: SoakResult[];
}

export function buildSoakReport(results: SoakResult[]): SoakReport {
  const snapshotBytes = results.find((r) => r.target === "snapshot")?.bytesPerClientPerSecond ?? null;
  const summaries = results.map((r) => summarizeTarget(r, snapshotBytes));
  const first = results[0];
  return {
    kind: "soak",
    startedAt: first?.startedAt ?? new Date().toISOString(),
    rooms: first?.rooms ?? 0,
    playersPerRoom: first?.playersPerRoom ?? 0,
    inputsPerSecond: first?.inputsPerSecond ?? 0,
    passed: summaries.length > 0 && summaries.every((s) => s.passed),
    summaries,
    results,
  };
}

function summarizeTarget(r: SoakResult, snapshotBytes: number | null): TargetSummary {
  const failures: string[] = [];
  if (r.timedOut) failures.push(`timed out while ${r.timedOut}`);
  if (r.joined < r.clients)
    failures.push(`${r.clients - r.joined} of ${r.clients} clients did not join${r.firstJoinError ? ` (first: ${r.firstJoinError})` : ""}`);
  if (r.drops > 0) failures.push(`${r.drops} connections dropped (first: ${r.firstDrop})`);
  if (r.visibilityOk < r.decodingClients) {
    failures.push(
      `${r.decodingClients - r.visibilityOk} of ${r.decodingClients} decoding clients did not see exactly their room (first: ${r.visibilityProblems[0]})`,
    );
  }
  if (r.latencyMs.count === 0 && !r.timedOut) failures.push("no update with a server time arrived in the window");
  const cpu = r.server.map((s) => s.cpuPercent).filter((v): v is number => v !== null);
  const rss = r.server.map((s) => s.rssMb).filter((v): v is number => v !== null);
  const lag = r.server.map((s) => s.eventLoopLagP99Ms).filter((v): v is number => v !== null);
  const bytes = r.bytesPerClientPerSecond;
  return {
    target: r.target,
    passed: failures.length === 0,
    failures,
    clients: r.clients,
    joined: r.joined,
    decodingClients: r.decodingClients,
    latencyMs: r.latencyMs,
    bytesPerClientPerSecond: bytes,
    bytesRatioVsSnapshot: snapshotBytes !== null && bytes !== null && bytes > 0 ? snapshotBytes / bytes : null,
    serverCpuPercent: { mean: cpu.length ? cpu.reduce((a, b) => a + b, 0) / cpu.length : null, max: cpu.length ? Math.max(...cpu) : null },
    serverRssMbMax: rss.length ? Math.max(...rss) : null,
    loopLagP99Ms: r.serverLoopLagP99Ms,
    loopLagPerSecondP99Ms: summarize(lag),
    loadScriptCpuPercent: r.loadScript.cpuPercent,
    generatorUse: describeGeneratorUse(r.loadScript),
    generatorWarning: saturationWarning(r.loadScript),
  };
}

/** Whether Tavern met each of the issue's numbers in this run (only meaningful at its scale). */
export function goalLines(report: SoakReport): string[] {
  const tavern = report.summaries.find((s) => s.target === "tavern");
  if (!tavern) return [];
  const mark = (ok: boolean | null) => (ok === null ? "not measured" : ok ? "met" : "MISSED");
  const p99 = tavern.latencyMs.p99;
  const lag = tavern.loopLagP99Ms;
  const ratio = tavern.bytesRatioVsSnapshot;
  return [
    `patch latency p99 ${ms(p99)} ms (goal < ${SOAK_GOALS.latencyP99Ms}): ${mark(p99 === null ? null : p99 < SOAK_GOALS.latencyP99Ms)}`,
    `event-loop lag p99 over the window ${ms(lag)} ms (goal < ${SOAK_GOALS.loopLagP99Ms}): ${mark(lag === null ? null : lag < SOAK_GOALS.loopLagP99Ms)}`,
    `bytes per client per second ${ratio === null ? "-" : `${ratio.toFixed(1)}x`} fewer than the full-snapshot baseline (goal >= ${SOAK_GOALS.bytesRatioVsSnapshot}x): ${mark(ratio === null ? null : ratio >= SOAK_GOALS.bytesRatioVsSnapshot)}`,
  ];
}

export function renderSoakSummary(report: SoakReport, files: string[]): string {
  const lines = [
    `Soak: ${report.rooms} rooms x ${report.playersPerRoom} players, ${report.inputsPerSecond} inputs/s each: ${report.passed ? "PASS" : "FAIL"}`,
    `  ${"target".padEnd(28)} ${"joined".padStart(9)} ${"B/client/s".padStart(11)} ${"vs snap".padStart(8)} ${"lat p50".padStart(8)} ${"p99".padStart(7)} ${"max".padStart(7)} ${"cpu%".padStart(5)} ${"lag p99".padStart(8)} ${"rss MB".padStart(7)}`,
  ];
  for (const s of report.summaries) {
    lines.push(
      `  ${TARGET_LABELS[s.target].padEnd(28)} ${`${s.joined}/${s.clients}`.padStart(9)} ${num(s.bytesPerClientPerSecond).padStart(11)} ${(s.bytesRatioVsSnapshot === null ? "-" : `${s.bytesRatioVsSnapshot.toFixed(1)}x`).padStart(8)} ${ms(s.latencyMs.p50).padStart(8)} ${ms(s.latencyMs.p99).padStart(7)} ${ms(s.latencyMs.max).padStart(7)} ${num(s.serverCpuPercent.mean).padStart(5)} ${ms(s.loopLagP99Ms).padStart(8)} ${num(s.serverRssMbMax).padStart(7)}`,
    );
    for (const failure of s.failures) lines.push(`    FAIL ${failure}`);
    lines.push(`    ${s.generatorUse}`);
    if (s.generatorWarning) lines.push(`    ${s.generatorWarning}`);
  }
  for (const line of goalLines(report)) lines.push(`  ${line}`);
  if (files.length > 0) lines.push(`  reports: ${files.join(", ")}`);
  return lines.join("\n");
}

export function renderSoakMarkdown(report: SoakReport, chartFile: string): string {
  const lines = [
    `# Soak: ${report.rooms} rooms x ${report.playersPerRoom} players, ${report.passed ? "PASS" : "FAIL"}`,
    "",
    `${report.startedAt}. Each player sends ${report.inputsPerSecond} movement inputs per second; the server moves avatars at 20 Hz. ` +
      "Targets ran one after another on the same machine with the same workload. Patch latency is the server's send time " +
      "(stamped into the update) to the moment the client decoded it. Bytes are WebSocket payload bytes each client received " +
      "in the window (every message, pings included). Server CPU is % of one core; event-loop lag is how late the server's 10 ms probe " +
      "timer fired (its `event_loop_lag_seconds` histogram): p99 over the whole window, and the worst single second. Latency and the visibility check come from the decoding clients " +
      `(${report.summaries.map((s) => `${s.decodingClients} of ${s.joined} on ${s.target}`).join(", ")}); the others count bytes only.`,
    "",
    "| target | joined | bytes/client/s | vs snapshot | latency p50 | p95 | p99 | max | server CPU % mean / max | lag p99 ms window / worst second | RSS MB max | load script CPU % |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const s of report.summaries) {
    lines.push(
      `| ${TARGET_LABELS[s.target]} | ${s.joined}/${s.clients} | ${num(s.bytesPerClientPerSecond)} | ${s.bytesRatioVsSnapshot === null ? "-" : `${s.bytesRatioVsSnapshot.toFixed(1)}x`} | ${ms(s.latencyMs.p50)} | ${ms(s.latencyMs.p95)} | ${ms(s.latencyMs.p99)} | ${ms(s.latencyMs.max)} | ${num(s.serverCpuPercent.mean)} / ${num(s.serverCpuPercent.max)} | ${ms(s.loopLagP99Ms)} / ${ms(s.loopLagPerSecondP99Ms.max)} | ${num(s.serverRssMbMax)} | ${num(s.loadScriptCpuPercent)} |`,
    );
  }
  const goals = goalLines(report);
  if (goals.length > 0) lines.push("", "Goals for Tavern (set for 50 rooms x 20 players):", "", ...goals.map((g) => `- ${g}`));
  lines.push("", "Load generator:", "", ...report.summaries.map((s) => `- ${TARGET_LABELS[s.target]}: ${s.generatorUse}`));
  const warnings = report.summaries.flatMap((s) => (s.generatorWarning ? [`- ${TARGET_LABELS[s.target]}: ${s.generatorWarning}`] : []));
  if (warnings.length > 0) lines.push("", "## Load generator saturated", "", ...warnings);
  const failures = report.summaries.flatMap((s) => s.failures.map((f) => `- ${TARGET_LABELS[s.target]}: ${f}`));
  if (failures.length > 0) lines.push("", "## Failures", "", ...failures);
  lines.push(
    "",
    "A load script near 100% CPU is itself a bottleneck: its event loop then delays decoding, which shows up as latency. " +
      "Event-loop utilization is the share of time a client thread was not waiting for I/O; when the threads and the server " +
      "need more cores than the machine has, time spent runnable but descheduled counts as busy too, so compare it with the process CPU.",
    "",
    `![latency, bytes, server CPU and lag over the window](${chartFile})`,
  );
  return lines.join("\n") + "\n";
}

export function renderSoakSvg(report: SoakReport): string {
  const series = (pick: (r: SoakResult) => Series["points"]): Series[] =>
    report.results.map((r) => ({ label: TARGET_LABELS[r.target], color: TARGET_COLORS[r.target], points: pick(r) }));
  const panels: Panel[] = [
    {
      title: "Patch latency p99 per second (ms)",
      yLabel: "ms",
      series: series((r) => r.timeline.map((t) => ({ x: t.second + 1, y: t.latency.p99 }))),
      threshold: { value: SOAK_GOALS.latencyP99Ms, label: `goal ${SOAK_GOALS.latencyP99Ms} ms` },
    },
    {
      title: "Bytes received per client per second",
      yLabel: "bytes",
      series: series((r) => r.timeline.map((t) => ({ x: t.second + 1, y: t.bytesPerClient }))),
    },
    {
      title: "Server CPU (% of one core)",
      yLabel: "%",
      series: series((r) => r.server.map((s) => ({ x: s.atSeconds, y: s.cpuPercent }))),
    },
    {
      title: "Server event-loop lag p99 per second (ms)",
      yLabel: "ms",
      series: series((r) => r.server.map((s) => ({ x: s.atSeconds, y: s.eventLoopLagP99Ms }))),
      threshold: { value: SOAK_GOALS.loopLagP99Ms, label: `goal ${SOAK_GOALS.loopLagP99Ms} ms` },
    },
    {
      title: "Server resident memory (MB)",
      yLabel: "MB",
      series: series((r) => r.server.map((s) => ({ x: s.atSeconds, y: s.rssMb }))),
    },
  ];
  return renderPanels(
    `Soak, ${report.rooms} rooms x ${report.playersPerRoom} players: each target over its measured window`,
    "seconds into the measured window",
    panels,
  );
}

/** Writes soak-<time>-<R>x<P>.{json,md,svg} into outDir and returns their paths. */
export function writeSoakReports(report: SoakReport, outDir: string): string[] {
  return writeReportFiles(outDir, "soak", report.startedAt, `${report.rooms}x${report.playersPerRoom}`, {
    json: report,
    markdown: (svgFile) => renderSoakMarkdown(report, svgFile),
    svg: renderSoakSvg(report),
  });
}
