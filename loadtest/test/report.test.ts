import assert from "node:assert/strict";
import { buildReport, niceCeiling, renderMarkdown, renderSummary, renderSvg } from "../report";
import type { ClientOutcome, StormResult } from "../storm";

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
    drops: 0,
    visibilityProblems: [],
    ...fields,
  };
}

function result(outcomes: ClientOutcome[]): StormResult {
  return {
    endpoint: "http://127.0.0.1:1",
    clients: outcomes.length,
    startedAt: "2026-01-01T00:00:00.000Z",
    roomCode: "ACDEFG",
    signInMs: 1,
    createMs: 1,
    stormMs: 1,
    settleMs: 1,
    stormCpuPercent: 50,
    leaveMs: 1,
    leaveTimeouts: 0,
    timedOut: null,
    outcomes,
  };
}

describe("storm report", () => {
  it("passes when everyone joined and saw everyone", () => {
    const report = buildReport(result([outcome(0), outcome(1), outcome(2)]), undefined);
    assert.equal(report.passed, true);
    assert.equal(report.joined, 3);
    assert.deepEqual(report.visibility, { ok: 3, percent: 100 });
    assert.equal(report.joinLatencyMs.count, 2, "the creator's create is not a join");
    assert.equal(report.visibleMs.max, 102);
  });
  it("fails and counts errors by code when a join was refused", () => {
    const refused = outcome(2, {
      joined: false,
      joinMs: null,
      visibleMs: null,
      error: { code: "ROOM_FULL", message: "full" },
      visibilityProblems: ["did not join: ROOM_FULL"],
    });
    const missing = ["missing 1 of 3 players"];
    const report = buildReport(result([outcome(0, { visibilityProblems: missing }), outcome(1, { visibilityProblems: missing }), refused]), undefined);
    assert.equal(report.passed, false);
    assert.equal(report.joined, 2);
    assert.deepEqual(report.errors, { ROOM_FULL: 1 });
    assert.deepEqual(report.visibility, { ok: 0, percent: 0 });
    assert.deepEqual(report.problems[0], { problem: "missing 1 of 3 players", clients: 2 });
    assert.match(renderSummary(report, []), /join errors\s+ROOM_FULL 1/);
  });
  it("renders an SVG and Markdown without NaN even with no samples", () => {
    const report = buildReport(result([outcome(0, { visibleMs: null, joined: false }), outcome(1, { joinMs: null, visibleMs: null, joined: false })]), undefined);
    const svg = renderSvg(report);
    assert.match(svg, /^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.match(svg, /<\/svg>\n$/);
    assert.doesNotMatch(svg, /NaN|undefined|Infinity/);
    assert.doesNotMatch(renderMarkdown(report, "chart.svg"), /NaN|undefined/);
  });
  it("niceCeiling rounds up to 1, 2, 4, 5 or 8 times a power of ten", () => {
    assert.deepEqual([0, 1, 3, 7, 591, 1215, 4604, 10_000].map(niceCeiling), [1, 1, 4, 8, 800, 2000, 5000, 10_000]);
  });
});
