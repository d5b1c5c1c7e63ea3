import assert from "node:assert/strict";
import { renderPanels } from "../lineChart";
import { parseCommandLine } from "../options";
import { bucketQuantile, bucketsBetween, bucketsEnding, metricEnding, parseExposition } from "../serverSampler";
import { buildSoakReport, goalLines, renderSoakMarkdown, renderSoakSummary, renderSoakSvg } from "../soakReport";
import { parseSoakOptions } from "../soakOptions";
import type { SoakResult } from "../space/soak";
import type { TargetName } from "../space/target";
import { summarize } from "../stats";

function result(target: TargetName, overrides: Partial<SoakResult> = {}): SoakResult {
  return {
    target,
    endpoint: "http://127.0.0.1:1",
    startedAt: "2026-01-02T03:04:05.678Z",
    rooms: 2,
    playersPerRoom: 3,
    clients: 6,
    decodingClients: 6,
    inputsPerSecond: 10,
    joined: 6,
    joinErrors: {},
    firstJoinError: null,
    joinPhaseMs: 100,
    measuredSeconds: 2,
    inputsSent: 120,
    latencyMs: summarize([1, 2, 3, 40]),
    bytesPerClientPerSecond: 1000,
    timeline: [
      { second: 0, latency: summarize([1, 2]), bytesPerClient: 900 },
      { second: 1, latency: summarize([3, 40]), bytesPerClient: 1100 },
    ],
    server: [
      { atSeconds: 0, cpuPercent: null, rssMb: 100, heapUsedMb: 20, eventLoopLagP99Ms: null },
      { atSeconds: 1, cpuPercent: 30, rssMb: 110, heapUsedMb: 21, eventLoopLagP99Ms: 4 },
      { atSeconds: 2, cpuPercent: 50, rssMb: 105, heapUsedMb: 22, eventLoopLagP99Ms: 12 },
    ],
    serverScrapeFailures: 0,
    serverLoopLagP99Ms: 9,
    loadScript: { cpuPercent: 20, eventLoopUtilization: 0.2, workers: [] },
    drops: 0,
    firstDrop: null,
    visibilityOk: 6,
    visibilityProblems: [],
    timedOut: null,
    ...overrides,
  };
}

describe("soak: metrics scraping", () => {
  const text = [
    "# HELP tavern_process_cpu_user_seconds_total Total user CPU time spent in seconds.",
    "# TYPE tavern_process_cpu_user_seconds_total counter",
    "tavern_process_cpu_user_seconds_total 1.5",
    'tavern_rooms{room_type="space",phase="lobby"} 3',
    "nodejs_eventloop_lag_p99_seconds 0.0123",
    "broken_line not-a-number",
  ].join("\n");

  it("reads unlabelled samples and skips labelled, comment and broken lines", () => {
    const values = parseExposition(text);
    assert.equal(values.get("tavern_process_cpu_user_seconds_total"), 1.5);
    assert.equal(values.get("nodejs_eventloop_lag_p99_seconds"), 0.0123);
    assert.equal(values.has("tavern_rooms"), false);
    assert.equal(values.has("broken_line"), false);
  });

  it("finds a default metric with or without a prefix, and nothing for a partial name", () => {
    const values = parseExposition(text);
    assert.equal(metricEnding(values, "process_cpu_user_seconds_total"), 1.5);
    assert.equal(metricEnding(values, "nodejs_eventloop_lag_p99_seconds"), 0.0123);
    assert.equal(metricEnding(values, "cpu_user_seconds_total_x"), undefined);
    assert.equal(metricEnding(values, "user_seconds"), undefined);
  });
});

describe("soak: event-loop lag histogram", () => {
  const exposition = (counts: number[]) =>
    parseExposition(
      [
        "# TYPE tavern_event_loop_lag_seconds histogram",
        `tavern_event_loop_lag_seconds_bucket{le="0.001"} ${counts[0]}`,
        `tavern_event_loop_lag_seconds_bucket{le="0.01"} ${counts[1]}`,
        `tavern_event_loop_lag_seconds_bucket{le="0.05"} ${counts[2]}`,
        `tavern_event_loop_lag_seconds_bucket{le="+Inf"} ${counts[3]}`,
        `tavern_event_loop_lag_seconds_count ${counts[3]}`,
        'tavern_requests_total{room_type="space",request="move",outcome="ok"} 5',
      ].join("\n"),
    );

  it("reads the buckets of a prefixed histogram in order, and no other labelled sample", () => {
    const values = exposition([10, 90, 100, 100]);
    assert.deepEqual(bucketsEnding(values, "event_loop_lag_seconds"), [
      { le: 0.001, count: 10 },
      { le: 0.01, count: 90 },
      { le: 0.05, count: 100 },
      { le: Infinity, count: 100 },
    ]);
    assert.deepEqual(bucketsEnding(values, "loop_lag_seconds_x"), []);
    assert.equal(
      [...values.keys()].some((k) => k.startsWith("tavern_requests_total")),
      false,
    );
  });

  it("takes quantiles like histogram_quantile, over what was observed between two readings", () => {
    const before = bucketsEnding(exposition([10, 90, 100, 100]), "event_loop_lag_seconds");
    const after = bucketsEnding(exposition([10, 90, 200, 200]), "event_loop_lag_seconds");
    const window = bucketsBetween(before, after);
    assert.deepEqual(
      window.map((b) => b.count),
      [0, 0, 100, 100],
    );
    // All 100 new samples lie in (0.01, 0.05]: the median is interpolated half way.
    assert.ok(Math.abs((bucketQuantile(window, 0.5) ?? 0) - 0.03) < 1e-9);
    assert.ok(Math.abs((bucketQuantile(before, 0.05) ?? 0) - 0.0005) < 1e-9);
    assert.equal(bucketQuantile(bucketsBetween(after, after), 0.99), null);
    const slow = bucketsEnding(exposition([0, 0, 0, 10]), "event_loop_lag_seconds");
    assert.equal(bucketQuantile(slow, 0.99), 0.05, "beyond the last bound reads as that bound");
  });
});

describe("soak: command line", () => {
  it("takes the defaults and all four targets", () => {
    const parsed = parseCommandLine(["soak"]);
    assert.equal(parsed.kind, "soak");
    if (parsed.kind !== "soak") return;
    assert.deepEqual(parsed.options.targets, ["tavern", "colyseus", "snapshot", "events"]);
    assert.equal(parsed.options.rooms, 10);
    assert.equal(parsed.options.timeoutSeconds, 120 + 5 + 30);
  });

  it("reads the issue's scale and a target list", () => {
    const parsed = parseSoakOptions([
      "--rooms",
      "50",
      "--players",
      "20",
      "--seconds",
      "60",
      "--targets",
      "tavern,snapshot",
      "--endpoint",
      "http://127.0.0.1:2567/",
    ]);
    assert.equal(parsed.kind, "soak");
    if (parsed.kind !== "soak") return;
    assert.equal(parsed.options.rooms * parsed.options.players, 1000);
    assert.deepEqual(parsed.options.targets, ["tavern", "snapshot"]);
    assert.equal(parsed.options.endpoint, "http://127.0.0.1:2567");
  });

  it("lists every problem at once", () => {
    const parsed = parseSoakOptions(["--rooms", "0", "--players", "x", "--targets", "tavern,kafka", "--endpoint", "ws://x", "--out", " "]);
    assert.equal(parsed.kind, "error");
    const message = parsed.kind === "error" ? parsed.message : "";
    for (const pattern of [/--rooms/, /--players/, /--targets must list some of tavern,colyseus,snapshot,events/, /--endpoint/, /--out/]) {
      assert.match(message, pattern);
    }
  });

  it("refuses more than 2000 clients and unknown options", () => {
    assert.match(JSON.stringify(parseSoakOptions(["--rooms", "100", "--players", "21"])), /at most 2000/);
    assert.match(JSON.stringify(parseSoakOptions(["--speed", "3"])), /Unknown option '--speed'/);
  });
});

describe("soak: report", () => {
  it("compares bytes with the snapshot baseline and summarises server samples", () => {
    const report = buildSoakReport([result("tavern"), result("snapshot", { bytesPerClientPerSecond: 25_000 }), result("events")]);
    assert.equal(report.passed, true);
    const tavern = report.summaries[0]!;
    assert.equal(tavern.bytesRatioVsSnapshot, 25);
    assert.deepEqual(tavern.serverCpuPercent, { mean: 40, max: 50 });
    assert.equal(tavern.serverRssMbMax, 110);
    assert.equal(tavern.loopLagP99Ms, 9);
    assert.equal(tavern.loopLagPerSecondP99Ms.max, 12);
    assert.equal(report.summaries[1]!.bytesRatioVsSnapshot, 1);
    const goals = goalLines(report);
    assert.match(goals[0]!, /patch latency p99 40\.0 ms \(goal < 50\): met/);
    assert.match(goals[1]!, /lag p99 over the window 9\.0 ms \(goal < 20\): met/);
    assert.match(goals[2]!, /25\.0x fewer .*: met/);
  });

  it("fails a target that lost clients, dropped or saw the wrong room, and says why", () => {
    const report = buildSoakReport([
      result("tavern", {
        joined: 5,
        decodingClients: 5,
        firstJoinError: "soak-1-2: room full",
        drops: 1,
        firstDrop: "soak-0-1: dropped (1006)",
        visibilityOk: 4,
        visibilityProblems: ["soak-0-0 sees 2 players, expected 3"],
      }),
    ]);
    assert.equal(report.passed, false);
    const failures = report.summaries[0]!.failures.join("\n");
    assert.match(failures, /1 of 6 clients did not join \(first: soak-1-2: room full\)/);
    assert.match(failures, /1 connections dropped/);
    assert.match(failures, /1 of 5 decoding clients did not see exactly their room/);
    assert.match(goalLines(report)[2]!, /not measured/);
    assert.match(renderSoakSummary(report, []), /FAIL/);
  });

  it("marks a missed goal", () => {
    const report = buildSoakReport([
      result("tavern", { latencyMs: summarize([150]) }),
      result("snapshot", { bytesPerClientPerSecond: 5000 }),
    ]);
    assert.match(goalLines(report)[0]!, /MISSED/);
    assert.match(goalLines(report)[2]!, /5\.0x .*MISSED/);
  });

  it("renders Markdown with a row per target and an SVG with a line per target and panel", () => {
    const report = buildSoakReport([result("tavern"), result("snapshot")]);
    const md = renderSoakMarkdown(report, "chart.svg");
    assert.match(md, /\| Tavern \(schema patches\) \| 6\/6 \| 1,000 \|/);
    assert.match(md, /!\[.*\]\(chart\.svg\)/);
    const svg = renderSoakSvg(report);
    assert.equal((svg.match(/<path /g) ?? []).length, 2 * 5);
  });
});

describe("line chart", () => {
  it("breaks a line at missing values and draws a threshold", () => {
    const svg = renderPanels("t", "x", [
      {
        title: "p",
        yLabel: "y",
        series: [
          {
            label: "a",
            color: "#000",
            points: [
              { x: 1, y: 1 },
              { x: 2, y: null },
              { x: 3, y: 2 },
              { x: 4, y: 3 },
            ],
          },
        ],
        threshold: { value: 5, label: "goal" },
      },
    ]);
    const path = /<path d="([^"]+)"/.exec(svg)?.[1] ?? "";
    assert.equal((path.match(/M/g) ?? []).length, 2, path);
    assert.equal((path.match(/L/g) ?? []).length, 1, path);
    assert.match(svg, /stroke-dasharray/);
    assert.match(svg, />goal</);
  });
});
