/** The chaos run's report: JSON with everything, Markdown to read, a CDF of time to consistency. */
import { renderCdfSvg } from "../cdfChart";
import { writeReportFiles } from "../reportFiles";
import { countsText, ms, num, quantiles } from "../reportText";
import { summarize, type Summary } from "../stats";
import type { ChaosOptions } from "./options";
import type { ProxyCounters } from "./proxy";
import { ChaosRun, type ChaosResult, type Violation } from "./scenario";

/** Violations listed one by one in the Markdown (all are in the JSON). */
const VIOLATIONS_LISTED = 40;

export interface ChaosReport {
  command: "chaos";
  passed: boolean;
  options: ChaosOptions;
  /** The command line that repeats this run's faults and choices. */
  repeat: string;
  result: ChaosResult;
  timeToConsistency: Summary;
  violationsByKind: Record<string, number>;
  proxy: ProxyCounters;
  server: { lines: number; tail: string[] } | null;
}

export function buildChaosReport(
  options: ChaosOptions,
  result: ChaosResult,
  proxy: ProxyCounters,
  server: { lines: number; tail: string[] } | undefined,
): ChaosReport {
  const violationsByKind = ChaosRun.violationCounts(result.violations);
  // A tolerated kind (a known, open finding) is reported like the others; only the rest fail the run.
  const failing = result.violations.filter((v) => !options.tolerate.includes(v.kind));
  const passed = failing.length === 0 && result.timedOut === null && result.inconsistent === 0;
  const o = options;
  const repeat =
    `npm run loadtest -- chaos --clients ${o.clients} --rooms ${o.rooms} --seconds ${o.seconds}` +
    ` --jitter ${o.jitterMinMs}-${o.jitterMaxMs} --reset-rate ${o.resetRate} --seed ${o.seed}`;
  return {
    command: "chaos",
    passed,
    options,
    repeat,
    result,
    timeToConsistency: summarize(result.timeToConsistencyMs),
    violationsByKind,
    proxy,
    server: server ?? null,
  };
}

export function renderChaosSummary(report: ChaosReport, files: readonly string[]): string {
  const r = report.result;
  const c = r.counts;
  const p = report.proxy;
  const lines = [
    `chaos ${report.passed ? "PASS" : "FAIL"}: ${r.clients} clients, ${r.rooms} rooms, seed ${r.seed}`,
    `  faults ${ms(r.phasesMs.faults)} ms: proxy connections ${p.connections}, resets ${p.resets}, stalls ${p.stalls}, bursts ${p.bursts}, ` +
      `bytes up ${num(p.bytesUp)} down ${num(p.bytesDown)}`,
    `  clients: drops ${c.drops}, SDK reconnects ${c.reconnects}, client.reconnect() ${c.manualReconnects}, ` +
      `rejoins of a held seat ${c.rejoinsWithinGrace} (${c.rejoinsUnverified} not checkable), rejoins after the grace ${c.rejoinsAfterGrace}`,
    `  joins ${c.joinAttempts} attempts, ${c.joinFailures} failed (${countsText(c.joinErrors)}); switches ${c.switches} (${c.leavesNotConfirmed} leaves not confirmed); ` +
      `chat ${c.chatsAcked}/${c.chatsSent} acknowledged; sign-in retries ${c.signInRetries}`,
    `  time to consistency after heal (ms): ${quantiles(report.timeToConsistency)}; ${r.inconsistent} clients never consistent`,
    `  violations: ${countsText(report.violationsByKind)}` +
      (report.options.tolerate.length > 0 ? ` (tolerated, reported without failing: ${report.options.tolerate.join(", ")})` : ""),
  ];
  if (r.timedOut) lines.push(`  timed out: ${r.timedOut}`);
  lines.push(`  repeat: ${report.repeat}`);
  lines.push(...files.map((f) => `  report: ${f}`));
  return lines.join("\n");
}

function markdown(report: ChaosReport, svgFile: string): string {
  const r = report.result;
  const o = report.options;
  const t = report.timeToConsistency;
  const violationRows = r.violations
    .slice(0, VIOLATIONS_LISTED)
    .map((v: Violation) => `| ${v.kind} | ${v.code} | ${v.playerId} | ${(v.detail ?? "").replace(/\|/g, "\\|")} |`);
  return [
    `# Load under a bad network (chaos): ${report.passed ? "PASS" : "FAIL"}`,
    "",
    `${r.clients} clients, ${r.rooms} rooms, faults for ${o.seconds} s: latency ${o.jitterMinMs}-${o.jitterMaxMs} ms each way, ` +
      `resets ${o.resetRate} per connection per second, seed ${r.seed}. Started ${r.startedAt}.`,
    "",
    `Repeat: \`${report.repeat}\` (the proxy's decisions per connection repeat; the network's own timing does not).`,
    "",
    "## After the network healed",
    "",
    "| | p50 | p95 | p99 | max | clients |",
    "|---|---|---|---|---|---|",
    `| heal -> consistent (ms) | ${ms(t.p50)} | ${ms(t.p95)} | ${ms(t.p99)} | ${ms(t.max)} | ${t.count} of ${r.clients} |`,
    "",
    `![time to consistency](${svgFile})`,
    "",
    `Violations: ${countsText(report.violationsByKind)}.`,
    "",
    ...(violationRows.length > 0
      ? [
          "| kind | room | player | detail |",
          "|---|---|---|---|",
          ...violationRows,
          r.violations.length > VIOLATIONS_LISTED ? `\n(${r.violations.length - VIOLATIONS_LISTED} more in the JSON)` : "",
          "",
        ]
      : []),
    "## What the faults did",
    "",
    "```",
    JSON.stringify({ proxy: report.proxy, clients: r.counts, phasesMs: r.phasesMs }, null, 2),
    "```",
    "",
    ...(r.timedOut ? [`Timed out: ${r.timedOut}.`, ""] : []),
  ].join("\n");
}

export function writeChaosReports(report: ChaosReport, outDir: string): string[] {
  const svg = renderCdfSvg("Heal -> client consistent", "ms after heal", [
    { label: "clients", color: "#1f77b4", values: report.result.timeToConsistencyMs, unit: "clients" },
  ]);
  return writeReportFiles(outDir, "chaos", report.result.startedAt, `${report.result.clients}c${report.result.rooms}r`, {
    json: report,
    markdown: (svgFile) => markdown(report, svgFile),
    svg,
  });
}
