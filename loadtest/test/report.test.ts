import assert from "node:assert/strict";
import { niceCeiling } from "../cdfChart";
import { buildReport, type TargetRun } from "../report";
import type { TargetName } from "../space/target";
import { emptyStormResult, type ClientOutcome } from "../storm";
import { renderMarkdown, renderSummary, renderSvg } from "../stormRender";

function outcome(index: number, fields: Partial<ClientOutcome> = {}): ClientOutcome {
  return {
    index,
    name: `storm-${index}`,
    playerId: `p${index}`,
    role: index === 0 ? "creator" : "joiner",
    joined: true,
    joinMs: index === 0 ? null : 10 * index,
    error: null,
    visibleMs: 100 + index,
    maxPlayersSeen: 3,
    bytesReceived: 1000 * (index + 1),
    drops: 0,
    visibilityProblems: [],
    ...fields,
  };
}

function run(target: TargetName, outcomes: ClientOutcome[], fields: Partial<TargetRun["result"]> = {}): TargetRun {
  const result = {
    ...emptyStormResult(target, "http://127.0.0.1:1", outcomes.length),
    startedAt: "2026-01-01T00:00:00.000Z",
    roomCode: "ACDEFG",
    prepareMs: 1,
    createMs: 1,
    stormMs: 1,
    settleMs: 1,
    stormCpuPercent: 50,
    serverCpu: { cpuMs: 40, wallMs: 80, percent: 50 },
    leaveMs: 1,
    leaveServerCpuMs: null,
    outcomes,
    ...fields,
  };
  return { result, serverLog: { lines: 1, tail: ["listening"] } };
}

const clean = () => [outcome(0), outcome(1), outcome(2)];
const refused = () => {
  const missing = ["missing 1 of 3 players"];
  return [
    outcome(0, { visibilityProblems: missing }),
    outcome(1, { visibilityProblems: missing }),
    outcome(2, {
      joined: false,
      joinMs: null,
      visibleMs: null,
      bytesReceived: null,
      error: { code: "ROOM_FULL", message: "full" },
      visibilityProblems: ["did not join: ROOM_FULL"],
    }),
  ];
};

describe("storm report", () => {
  it("passes a target when everyone joined and saw everyone, and summarises its numbers", () => {
    const report = buildReport([run("tavern", clean())]);
    assert.equal(report.passed, true);
    const tavern = report.targets[0]!;
    assert.equal(tavern.joined, 3);
    assert.deepEqual(tavern.visibility, { ok: 3, percent: 100 });
    assert.equal(tavern.joinLatencyMs.count, 2, "the creator's create is not a join");
    assert.equal(tavern.visibleMs.max, 102);
    assert.equal(tavern.bytesPerClient.mean, 2000);
    assert.deepEqual(tavern.failures, []);
  });

  it("fails a target and counts errors by code when a join was refused", () => {
    const report = buildReport([run("tavern", refused())]);
    assert.equal(report.passed, false);
    const tavern = report.targets[0]!;
    assert.equal(tavern.joined, 2);
    assert.deepEqual(tavern.errors, { ROOM_FULL: 1 });
    assert.deepEqual(tavern.visibility, { ok: 0, percent: 0 });
    assert.deepEqual(tavern.problems[0], { problem: "missing 1 of 3 players", clients: 2 });
    assert.equal(tavern.bytesPerClient.count, 2, "a client that never joined received nothing to count");
    assert.match(tavern.failures.join("\n"), /1 of 3 clients got a join error/);
    assert.match(renderSummary(report, []), /ROOM_FULL: full/);
  });

  it("takes its verdict from Tavern alone: failing baselines are reported, not fatal", () => {
    const report = buildReport([run("tavern", clean()), run("snapshot", refused()), run("events", clean(), { timedOut: "joining" })]);
    assert.equal(report.gate, "tavern");
    assert.equal(report.passed, true);
    assert.deepEqual(
      report.targets.map((t) => t.passed),
      [true, false, false],
    );
    assert.match(report.targets[2]!.failures.join(), /timed out while joining/);
    const failed = buildReport([run("tavern", refused()), run("snapshot", clean())]);
    assert.equal(failed.passed, false);
  });

  it("without Tavern, needs every listed target to pass", () => {
    assert.equal(buildReport([run("snapshot", clean()), run("events", clean())]).passed, true);
    const report = buildReport([run("snapshot", clean()), run("events", refused())]);
    assert.equal(report.gate, "all");
    assert.equal(report.passed, false);
    assert.equal(buildReport([]).passed, false, "no target, no pass");
  });

  it("reports a target whose server did not start as failed, without numbers", () => {
    const broken = emptyStormResult("snapshot", "-", 3);
    broken.aborted = "the server exited before it was healthy (code 1)";
    const report = buildReport([run("tavern", clean()), { result: broken, serverLog: undefined }]);
    assert.equal(report.passed, true);
    const snapshot = report.targets[1]!;
    assert.equal(snapshot.passed, false);
    assert.deepEqual(snapshot.failures, ["could not run: the server exited before it was healthy (code 1)"]);
    assert.equal(snapshot.ownServer, false);
    assert.doesNotMatch(renderMarkdown(report, "chart.svg"), /NaN|undefined/);
  });

  it("prints one line per target, side by side", () => {
    const report = buildReport([run("tavern", clean()), run("snapshot", refused()), run("events", clean())]);
    const lines = renderSummary(report, ["a.json"]).split("\n");
    assert.match(lines[0]!, /^Join storm: 3 clients on each of tavern, snapshot, events: PASS \(the verdict is Tavern's/);
    assert.match(lines[1]!, /target\s+result\s+joined\s+errors\s+visible\s+join ms/);
    assert.match(
      lines[2]!,
      /^ {2}Tavern \(schema patches\)\s+PASS\s+3\/3\s+0\s+100\.0%\s+10\.0\/20\.0\/20\.0\/20\.0\s+101\.0\/102\.0\/102\.0\/102\.0\s+40 ms \(50%\)\s+2\.0\s+0$/,
    );
    assert.match(lines[3]!, /^ {2}Socket\.IO full snapshot\s+FAIL\s+2\/3\s+1\s+0\.0%/);
    assert.match(lines[4]!, /^ {2}Socket\.IO event per change\s+PASS/);
    assert.match(lines.at(-1)!, /reports: a\.json/);
  });

  it("renders Markdown with a column per target and says what join latency covers on each", () => {
    const report = buildReport([run("tavern", clean()), run("events", clean())]);
    const md = renderMarkdown(report, "chart.svg");
    assert.match(md, /^\| \| Tavern \(schema patches\) \| Socket\.IO event per change \|$/m);
    assert.match(md, /^\| server CPU during the storm \| 40 ms, 50% of one core over 80 ms \| 40 ms, 50% of one core over 80 ms \|$/m);
    assert.match(md, /join latency on tavern: HTTP matchmaking request.*sign-in over HTTP comes before and is not timed/);
    assert.match(md, /join latency on events: Socket\.IO connection/);
    assert.match(md, /!\[.*\]\(chart\.svg\)/);
  });

  it("charts each target's visibility solid and its join latency dashed, without NaN even with no samples", () => {
    const report = buildReport([run("tavern", clean()), run("snapshot", clean())]);
    const svg = renderSvg(report);
    assert.equal((svg.match(/<path /g) ?? []).length, 4);
    assert.equal((svg.match(/<path [^>]*stroke-dasharray/g) ?? []).length, 2);
    assert.match(svg, /snapshot: join latency \(2 joins\)/);
    const empty = buildReport([
      run("tavern", [outcome(0, { visibleMs: null, joined: false }), outcome(1, { joinMs: null, visibleMs: null, joined: false })]),
    ]);
    const emptySvg = renderSvg(empty);
    assert.match(emptySvg, /^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.match(emptySvg, /<\/svg>\n$/);
    assert.doesNotMatch(emptySvg, /NaN|undefined|Infinity/);
    assert.doesNotMatch(renderMarkdown(empty, "chart.svg"), /NaN|undefined/);
  });

  it("niceCeiling rounds up to 1, 2, 4, 5 or 8 times a power of ten", () => {
    assert.deepEqual([0, 1, 3, 7, 591, 1215, 4604, 10_000].map(niceCeiling), [1, 1, 4, 8, 800, 2000, 5000, 10_000]);
  });
});
