/** The join storm's report as text: the stdout summary, the Markdown, the SVG chart, and the files. */
import { renderCdfSvg, type CdfSeries } from "./cdfChart";
import { JOIN_LATENCY_COVERS, type StormReport, type TargetStorm } from "./report";
import { writeReportFiles } from "./reportFiles";
import { countsText, ms, num, numbers } from "./reportText";
import type { Summary } from "./stats";
import { TARGET_COLORS, TARGET_LABELS } from "./targetStyle";

function gateText(report: StormReport): string {
  if (report.targets.length === 1) return "one target: its own verdict";
  return report.gate === "tavern"
    ? "the verdict is Tavern's; the baselines are there to compare with"
    : "the verdict needs every listed target to pass";
}

/** p50/p95/p99/max in one cell. */
function spread(s: Summary): string {
  return [s.p50, s.p95, s.p99, s.max].map(ms).join("/");
}

function cpuText(t: TargetStorm): string {
  return t.serverCpu ? `${num(t.serverCpu.cpuMs)} ms (${num(t.serverCpu.percent)}%)` : "-";
}

function kilobytes(bytes: number | null): string {
  return bytes === null ? "-" : (bytes / 1024).toFixed(1);
}

const COLUMNS = [
  { head: "target", width: 27, cell: (t: TargetStorm) => TARGET_LABELS[t.target] },
  { head: "result", width: 6, cell: (t: TargetStorm) => (t.passed ? "PASS" : "FAIL") },
  { head: "joined", width: 9, cell: (t: TargetStorm, n: number) => `${t.joined}/${n}` },
  { head: "errors", width: 6, cell: (t: TargetStorm) => String(t.perClient.filter((o) => o.error).length) },
  { head: "visible", width: 7, cell: (t: TargetStorm) => `${t.visibility.percent.toFixed(1)}%` },
  { head: "join ms p50/95/99/max", width: 27, cell: (t: TargetStorm) => spread(t.joinLatencyMs) },
  { head: "full view ms p50/95/99/max", width: 27, cell: (t: TargetStorm) => spread(t.visibleMs) },
  { head: "server CPU", width: 18, cell: cpuText },
  { head: "KB/client", width: 9, cell: (t: TargetStorm) => kilobytes(t.bytesPerClient.mean) },
  { head: "drops", width: 5, cell: (t: TargetStorm) => String(t.drops) },
] as const;

export function renderSummary(report: StormReport, files: string[]): string {
  const row = (cells: string[]) => `  ${cells.map((c, i) => c.padEnd(COLUMNS[i]?.width ?? 0)).join(" ")}`.trimEnd();
  const lines = [
    `Join storm: ${report.clients} clients on ${report.targets.length === 1 ? "" : "each of "}${report.targets.map((t) => t.target).join(", ")}: ${report.passed ? "PASS" : "FAIL"} (${gateText(report)})`,
    row(COLUMNS.map((c) => c.head)),
    ...report.targets.map((t) => row(COLUMNS.map((c) => c.cell(t, report.clients)))),
  ];
  for (const t of report.targets) {
    const details = [
      ...t.failures.map((f) => `FAIL ${f}`),
      ...Object.entries(t.errorMessages).map(([code, message]) => `${code}: ${message}`),
      ...t.problems.slice(0, 3).map(({ problem, clients }) => `problem: ${problem} (${clients} clients)`),
      ...(t.serverCpuMissing ? [`server CPU not measured: ${t.serverCpuMissing}`] : []),
      ...(t.leaveTimeouts > 0 ? [`${t.leaveTimeouts} leaves not confirmed in time`] : []),
      // Every server logs a line or two when all is well; its log matters when it failed.
      ...(t.serverLogLines > 0 && !t.passed ? [`server log: ${t.serverLogLines} lines (last ones in the report)`] : []),
    ];
    if (details.length > 0) lines.push(`  ${t.target}:`, ...details.map((d) => `    ${d}`));
  }
  if (files.length > 0) lines.push(`  reports: ${files.join(", ")}`);
  return lines.join("\n");
}

export function renderMarkdown(report: StormReport, chartFile: string): string {
  const ts = report.targets;
  const row = (label: string, cell: (t: TargetStorm) => string) => `| ${label} | ${ts.map(cell).join(" | ")} |`;
  const four = (s: Summary) => [s.p50, s.p95, s.p99, s.max].map(ms).join(" / ");
  const lines = [
    `# Join storm: ${report.clients} clients per target, ${report.passed ? "PASS" : "FAIL"}`,
    "",
    `${report.startedAt}. The same storm ran against each target in turn, each on its own server: ${report.clients} players were ` +
      `made ready, the first created a room, the other ${report.clients - 1} joined it at the same instant (the storm start). ` +
      `Verdict: ${report.passed ? "PASS" : "FAIL"}; ${gateText(report)}.`,
    "",
    `| | ${ts.map((t) => TARGET_LABELS[t.target]).join(" | ")} |`,
    `|---|${ts.map(() => "---|").join("")}`,
    row("result", (t) => (t.passed ? "PASS" : "FAIL")),
    row("server", (t) => `${t.endpoint}${t.ownServer ? " (started by the script)" : ""}`),
    row("joined", (t) => `${t.joined}/${report.clients}`),
    row("join errors", (t) => countsText(t.errors)),
    row(
      "visibility (saw all N players, right names, none twice)",
      (t) => `${t.visibility.percent.toFixed(1)}% (${t.visibility.ok}/${report.clients})`,
    ),
    row("connection drops", (t) => String(t.drops)),
    row("join latency ms, p50 / p95 / p99 / max", (t) => four(t.joinLatencyMs)),
    row("time to full visibility ms, p50 / p95 / p99 / max", (t) => four(t.visibleMs)),
    row("server CPU during the storm", (t) =>
      t.serverCpu
        ? `${num(t.serverCpu.cpuMs)} ms, ${num(t.serverCpu.percent)}% of one core over ${num(t.serverCpu.wallMs)} ms`
        : `not measured: ${t.serverCpuMissing ?? "-"}`,
    ),
    row("bytes received per client during the storm, mean / max", (t) => `${num(t.bytesPerClient.mean)} / ${num(t.bytesPerClient.max)}`),
    row("load script CPU % of one core", (t) => num(t.loadScriptCpuPercent)),
    row("phases ms: prepare / create / storm / settle / leave", (t) =>
      [t.phasesMs.prepare, t.phasesMs.create, t.phasesMs.storm, t.phasesMs.settle, t.phasesMs.leave].map((v) => num(v)).join(" / "),
    ),
    row("leaves not confirmed in time", (t) => String(t.leaveTimeouts)),
    "",
    "What the numbers cover:",
    "",
    ...ts.map((t) => `- join latency on ${t.target}: ${JOIN_LATENCY_COVERS[t.target]}.`),
    "- time to full visibility: from the storm start to the first update after which that client's copy held all N players.",
    "- server CPU: the server's own process CPU counters (its /metrics), read just before the storm start and again once every " +
      "client saw every player (or the storm timed out); the % is over the wall time between the two reads.",
    "- bytes: WebSocket payload bytes each client received over the same window (HTTP sign-in and matchmaking not included).",
    "- phases: storm = storm start to the last join settled; settle = storm start to everyone seeing everyone.",
    "",
    "The load script and every server share one machine, and the targets run one after another: other load on the machine " +
      "(or a load script near 100% CPU) shows up in the timings, and differently for each target.",
    "",
    `![time to full visibility and join latency by target](${chartFile})`,
  ];
  for (const t of ts) lines.push(...targetDetails(t));
  return lines.join("\n") + "\n";
}

function targetDetails(t: TargetStorm): string[] {
  const lines: string[] = [];
  if (t.failures.length > 0) lines.push("", `## ${TARGET_LABELS[t.target]}: failures`, "", ...t.failures.map((f) => `- ${f}`));
  if (Object.keys(t.errorMessages).length > 0) {
    lines.push("", `## ${TARGET_LABELS[t.target]}: join errors`, "", "| code | clients | message |", "|---|---|---|");
    for (const [code, message] of Object.entries(t.errorMessages)) {
      lines.push(`| ${code} | ${t.errors[code] ?? 0} | ${message.replaceAll("|", "\\|")} |`);
    }
  }
  if (t.problems.length > 0) {
    lines.push("", `## ${TARGET_LABELS[t.target]}: visibility problems`, "");
    for (const { problem, clients } of t.problems.slice(0, 20)) lines.push(`- ${problem} (${clients} clients)`);
  }
  if (t.serverLogTail.length > 0) {
    lines.push(
      "",
      `## ${TARGET_LABELS[t.target]}: server log (${t.serverLogLines} lines, the last ${t.serverLogTail.length})`,
      "",
      "```",
      ...t.serverLogTail,
      "```",
    );
  }
  return lines;
}

/** Every target's cumulative share of clients done: full visibility solid, join latency dashed. */
export function renderSvg(report: StormReport): string {
  const series: CdfSeries[] = report.targets.flatMap((t) => [
    {
      label: `${t.target}: time to full visibility`,
      color: TARGET_COLORS[t.target],
      values: numbers(t.perClient.map((o) => o.visibleMs)),
      unit: "clients",
    },
    {
      label: `${t.target}: join latency`,
      color: TARGET_COLORS[t.target],
      values: numbers(t.perClient.map((o) => o.joinMs)),
      unit: "joins",
      dashed: true,
    },
  ]);
  return renderCdfSvg(
    `Join storm, ${report.clients} clients per target: share of clients done by time`,
    "milliseconds (join: from its join call; visibility: from the storm start)",
    series,
  );
}

/** Writes storm-<time>-<N>clients.{json,md,svg} into outDir and returns their paths. */
export function writeReports(report: StormReport, outDir: string): string[] {
  return writeReportFiles(outDir, "storm", report.startedAt, `${report.clients}clients`, {
    json: report,
    markdown: (svgFile) => renderMarkdown(report, svgFile),
    svg: renderSvg(report),
  });
}
