/** Turns a storm result into the report: JSON, Markdown, an SVG chart and the stdout summary. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { LEAVE_TIMEOUT_MS, type StormResult } from "./storm";
import { cdf, countBy, summarize, type Summary } from "./stats";

export interface StormReport {
  kind: "storm";
  startedAt: string;
  endpoint: string;
  ownServer: boolean;
  clients: number;
  roomCode: string | null;
  passed: boolean;
  timedOut: string | null;
  joined: number;
  errors: Record<string, number>;
  /** One message per error code, as the first client that got it read it. */
  errorMessages: Record<string, string>;
  drops: number;
  visibility: { ok: number; percent: number };
  joinLatencyMs: Summary;
  visibleMs: Summary;
  phasesMs: { signIn: number | null; create: number | null; storm: number | null; settle: number | null; leave: number | null };
  leaveTimeouts: number;
  /** CPU of the load script from storm start to settled, in % of one core. */
  loadScriptCpuPercent: number | null;
  /** Distinct visibility problems with how many clients had each, most common first. */
  problems: Array<{ problem: string; clients: number }>;
  /** Lines the server wrote at LOG_LEVEL=warn (own server only), and the last of them. */
  serverLogLines: number;
  serverLogTail: string[];
  perClient: StormResult["outcomes"];
}

export function buildReport(result: StormResult, server: { lines: number; tail: string[] } | undefined): StormReport {
  const outcomes = result.outcomes;
  const failed = outcomes.filter((o) => o.error !== null);
  const errorMessages: Record<string, string> = {};
  for (const o of failed) if (o.error) errorMessages[o.error.code] ??= o.error.message;
  const ok = outcomes.filter((o) => o.visibilityProblems.length === 0).length;
  const percent = result.clients === 0 ? 0 : (100 * ok) / result.clients;
  const problemCounts = countBy(outcomes.flatMap((o) => [...new Set(o.visibilityProblems)]));
  return {
    kind: "storm",
    startedAt: result.startedAt,
    endpoint: result.endpoint,
    ownServer: server !== undefined,
    clients: result.clients,
    roomCode: result.roomCode,
    passed: ok === result.clients && failed.length === 0 && result.timedOut === null,
    timedOut: result.timedOut,
    joined: outcomes.filter((o) => o.joined).length,
    errors: countBy(failed.map((o) => o.error?.code ?? "")),
    errorMessages,
    drops: outcomes.reduce((sum, o) => sum + o.drops, 0),
    visibility: { ok, percent },
    joinLatencyMs: summarize(numbers(outcomes.map((o) => o.joinMs))),
    visibleMs: summarize(numbers(outcomes.map((o) => o.visibleMs))),
    phasesMs: {
      signIn: result.signInMs,
      create: result.createMs,
      storm: result.stormMs,
      settle: result.settleMs,
      leave: result.leaveMs,
    },
    leaveTimeouts: result.leaveTimeouts,
    loadScriptCpuPercent: result.stormCpuPercent,
    problems: Object.entries(problemCounts)
      .sort((a, b) => b[1] - a[1])
      .map(([problem, clients]) => ({ problem, clients })),
    serverLogLines: server?.lines ?? 0,
    serverLogTail: server?.tail ?? [],
    perClient: outcomes,
  };
}

export function numbers(values: ReadonlyArray<number | null>): number[] {
  return values.filter((v): v is number => v !== null);
}

export function ms(value: number | null): string {
  return value === null ? "-" : value.toFixed(1);
}

function percentText(report: StormReport): string {
  return `${report.visibility.percent.toFixed(1)}%`;
}

function errorsText(report: StormReport): string {
  const entries = Object.entries(report.errors);
  return entries.length === 0 ? "none" : entries.map(([code, n]) => `${code} ${n}`).join(", ");
}

export function quantiles(s: Summary): string {
  return `p50 ${ms(s.p50)}  p95 ${ms(s.p95)}  p99 ${ms(s.p99)}  max ${ms(s.max)}`;
}

export function renderSummary(report: StormReport, files: string[]): string {
  const lines = [
    `Join storm: ${report.clients} clients on ${report.endpoint}${report.roomCode ? ` (room ${report.roomCode})` : ""}: ${report.passed ? "PASS" : "FAIL"}`,
    `  joined                      ${report.joined}/${report.clients}`,
    `  join errors                 ${errorsText(report)}`,
    `  visibility                  ${percentText(report)} (${report.visibility.ok}/${report.clients} saw all ${report.clients} players, right names, none twice)`,
    `  join latency ms             ${quantiles(report.joinLatencyMs)}  (${report.joinLatencyMs.count} joins)`,
    `  time to full visibility ms  ${quantiles(report.visibleMs)}  (${report.visibleMs.count} clients)`,
  ];
  if (report.drops > 0) lines.push(`  connection drops            ${report.drops}`);
  if (report.serverLogLines > 0) lines.push(`  server log                  ${report.serverLogLines} lines at warn or above (last ones in the report)`);
  if (report.leaveTimeouts > 0) lines.push(`  leaves not confirmed        ${report.leaveTimeouts} (within ${LEAVE_TIMEOUT_MS / 1000} s)`);
  if (report.timedOut) lines.push(`  timed out                   while ${report.timedOut}`);
  for (const { problem, clients } of report.problems.slice(0, 5)) lines.push(`  problem                     ${problem} (${clients} clients)`);
  for (const [code, message] of Object.entries(report.errorMessages)) lines.push(`  ${code.padEnd(27)} ${message}`);
  if (files.length > 0) lines.push(`  reports                     ${files.join(", ")}`);
  return lines.join("\n");
}

export function renderMarkdown(report: StormReport, chartFile: string): string {
  const row = (label: string, s: Summary) =>
    `| ${label} | ${s.count} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.p99)} | ${ms(s.max)} | ${ms(s.mean)} |`;
  const lines = [
    `# Join storm: ${report.clients} clients, ${report.passed ? "PASS" : "FAIL"}`,
    "",
    `${report.startedAt} on ${report.endpoint}${report.ownServer ? " (server started by the script)" : ""}, room ${report.roomCode ?? "-"}.`,
    "",
    `- joined: ${report.joined}/${report.clients}`,
    `- join errors: ${errorsText(report)}`,
    `- visibility: ${percentText(report)} (${report.visibility.ok}/${report.clients} clients saw all ${report.clients} players with the right names, none twice)`,
    `- connection drops: ${report.drops}`,
    ...(report.timedOut ? [`- timed out while ${report.timedOut}`] : []),
    "",
    "| ms | samples | p50 | p95 | p99 | max | mean |",
    "|---|---|---|---|---|---|---|",
    row("join latency", report.joinLatencyMs),
    row("time to full visibility", report.visibleMs),
    "",
    `Phases (ms): sign-in ${ms(report.phasesMs.signIn)}, create ${ms(report.phasesMs.create)}, ` +
      `storm (all joins settled) ${ms(report.phasesMs.storm)}, settle (everyone sees everyone) ${ms(report.phasesMs.settle)}, ` +
      `leave ${ms(report.phasesMs.leave)} (${report.leaveTimeouts} leaves not confirmed within ${LEAVE_TIMEOUT_MS / 1000} s).`,
    "",
    `The load script used ${report.loadScriptCpuPercent === null ? "-" : report.loadScriptCpuPercent.toFixed(0)}% of one CPU core ` +
      "between the storm start and everyone seeing everyone: near 100% means its own event loop, not the server, " +
      "may be what delays joins and visibility.",
    "",
    `![join latency and time to full visibility](${chartFile})`,
  ];
  if (Object.keys(report.errorMessages).length > 0) {
    lines.push("", "## Join errors", "", "| code | clients | message |", "|---|---|---|");
    for (const [code, message] of Object.entries(report.errorMessages)) {
      lines.push(`| ${code} | ${report.errors[code] ?? 0} | ${message.replaceAll("|", "\\|")} |`);
    }
  }
  if (report.problems.length > 0) {
    lines.push("", "## Visibility problems", "");
    for (const { problem, clients } of report.problems.slice(0, 20)) lines.push(`- ${problem} (${clients} clients)`);
  }
  if (report.serverLogTail.length > 0) {
    lines.push("", `## Server log (${report.serverLogLines} lines at warn and above, the last ${report.serverLogTail.length})`, "", "```", ...report.serverLogTail, "```");
  }
  return lines.join("\n") + "\n";
}

const CHART = { width: 640, height: 360, left: 56, right: 20, top: 44, bottom: 48 };
const SERIES = [
  { key: "joinLatency", label: "join latency", color: "#2563eb" },
  { key: "visible", label: "time to full visibility", color: "#dc2626" },
] as const;

/** Smallest 1, 2, 4, 5 or 8 times a power of ten at or above value (at least 1). */
export function niceCeiling(value: number): number {
  if (!(value > 1)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 4, 5, 8, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

/** Cumulative share of clients done against milliseconds since each measurement started. */
export function renderSvg(report: StormReport): string {
  const data = {
    joinLatency: numbers(report.perClient.map((o) => o.joinMs)),
    visible: numbers(report.perClient.map((o) => o.visibleMs)),
  };
  return renderCdfSvg(
    `Join storm, ${report.clients} clients: share of clients done by time`,
    "milliseconds (join: from its join call; visibility: from the storm start)",
    SERIES.map((series) => ({ label: series.label, color: series.color, values: data[series.key], unit: "clients" })),
  );
}

export interface CdfSeries {
  label: string;
  color: string;
  values: readonly number[];
  /** What one sample is, for the legend's count ("clients", "hops"). */
  unit: string;
}

/** One step line per series: the cumulative share (0-100%) of its samples at or below each x. */
export function renderCdfSvg(title: string, xLabel: string, series: readonly CdfSeries[]): string {
  // A loop, not Math.max(...values): a spread of a few hundred thousand samples overflows the stack.
  let largest = 1;
  for (const s of series) for (const v of s.values) if (v > largest) largest = v;
  const xMax = niceCeiling(largest);
  const plotW = CHART.width - CHART.left - CHART.right;
  const plotH = CHART.height - CHART.top - CHART.bottom;
  const x = (v: number) => (CHART.left + (v / xMax) * plotW).toFixed(1);
  const y = (fraction: number) => (CHART.top + (1 - fraction) * plotH).toFixed(1);

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${CHART.width}" height="${CHART.height}" viewBox="0 0 ${CHART.width} ${CHART.height}" font-family="system-ui, sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${CHART.left}" y="20" font-size="13" font-weight="600">${escapeXml(title)}</text>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const fraction = i / 4;
    parts.push(
      `<line x1="${CHART.left}" x2="${CHART.width - CHART.right}" y1="${y(fraction)}" y2="${y(fraction)}" stroke="#e5e7eb"/>`,
      `<text x="${CHART.left - 6}" y="${y(fraction)}" text-anchor="end" dominant-baseline="middle" fill="#555">${i * 25}%</text>`,
    );
    const v = (xMax * i) / 4;
    parts.push(
      `<line x1="${x(v)}" x2="${x(v)}" y1="${CHART.top}" y2="${CHART.top + plotH}" stroke="#e5e7eb"/>`,
      `<text x="${x(v)}" y="${CHART.top + plotH + 16}" text-anchor="middle" fill="#555">${Number(v.toFixed(1))}</text>`,
    );
  }
  parts.push(
    `<text x="${CHART.left + plotW / 2}" y="${CHART.height - 10}" text-anchor="middle" fill="#333">${escapeXml(xLabel)}</text>`,
    `<rect x="${CHART.left}" y="${CHART.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#9ca3af"/>`,
  );
  series.forEach((s, i) => {
    const points = cdf(s.values);
    if (points.length > 0) {
      // Step line: flat until the next sample, then up by its share.
      let d = `M${x(points[0]?.value ?? 0)},${y(0)}`;
      let previous = 0;
      for (const p of points) {
        d += ` L${x(p.value)},${y(previous)} L${x(p.value)},${y(p.fraction)}`;
        previous = p.fraction;
      }
      parts.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.8"/>`);
    }
    const ly = CHART.top + 14 + i * 16;
    parts.push(
      `<line x1="${CHART.left + 10}" x2="${CHART.left + 28}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="2.5"/>`,
      `<text x="${CHART.left + 34}" y="${ly}" dominant-baseline="middle">${escapeXml(`${s.label} (${points.length} ${s.unit})`)}</text>`,
    );
  });
  parts.push("</svg>");
  return parts.join("\n") + "\n";
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Writes storm-<time>-<N>clients.{json,md,svg} into outDir and returns their paths. */
export function writeReports(report: StormReport, outDir: string): string[] {
  mkdirSync(outDir, { recursive: true });
  const stamp = report.startedAt.replace(/\.\d+Z$/, "Z").replace(/:/g, "-");
  const base = `storm-${stamp}-${report.clients}clients`;
  const files = {
    json: join(outDir, `${base}.json`),
    md: join(outDir, `${base}.md`),
    svg: join(outDir, `${base}.svg`),
  };
  writeFileSync(files.json, JSON.stringify(report, null, 2) + "\n");
  writeFileSync(files.svg, renderSvg(report));
  writeFileSync(files.md, renderMarkdown(report, `${base}.svg`));
  return [files.json, files.md, files.svg];
}
