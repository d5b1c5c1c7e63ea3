import assert from "node:assert/strict";
import { parseChaosOptions, type ChaosOptions } from "../chaos/options";
import { buildChaosReport, renderChaosSummary } from "../chaos/report";
import type { ChaosResult, Violation } from "../chaos/scenario";
import type { ProxyCounters } from "../chaos/proxy";

function optionsOf(args: string[]): ChaosOptions {
  const parsed = parseChaosOptions(args, () => 0);
  assert.equal(parsed.kind, "chaos");
  if (parsed.kind !== "chaos") throw new Error("unreachable");
  return parsed.options;
}

function resultWith(violations: Violation[], overrides: Partial<ChaosResult> = {}): ChaosResult {
  return {
    startedAt: "2026-12-03T00:00:00.000Z",
    clients: 4,
    rooms: 1,
    seed: 0,
    roomCodes: ["ABC234"],
    phasesMs: { signIn: 10, create: 10, faults: 1000, consistency: 50 },
    timeToConsistencyMs: [10, 20, 30, 40],
    inconsistent: 0,
    violations,
    counts: {
      drops: 2,
      reconnects: 1,
      manualReconnects: 0,
      rejoinsWithinGrace: 1,
      rejoinsUnverified: 0,
      rejoinsAfterGrace: 0,
      joinAttempts: 5,
      joinFailures: 1,
      joinErrors: { "INTERNAL_ERROR (fetch failed)": 1 },
      switches: 0,
      leavesNotConfirmed: 0,
      chatsSent: 4,
      chatsAcked: 4,
      signInRetries: 0,
      heldSeatsSeen: 0,
    },
    timedOut: null,
    ...overrides,
  };
}

const proxy: ProxyCounters = { connections: 6, open: 0, resets: 2, stalls: 1, bursts: 3, bytesUp: 100, bytesDown: 1000, upstreamErrors: 0 };
const seatLost: Violation = { kind: "seat-not-returned", playerId: "p1", code: "ABC234", detail: "new seat" };
const ghost: Violation = { kind: "ghost", playerId: "p2", code: "ABC234" };

describe("loadtest chaos report", () => {
  it("passes a run with no violation, and prints the rejoins of held seats", () => {
    const report = buildChaosReport(optionsOf([]), resultWith([]), proxy, undefined);
    assert.equal(report.passed, true);
    const text = renderChaosSummary(report, []);
    assert.match(text, /chaos PASS/);
    assert.match(text, /rejoins of a held seat 1 \(0 not checkable\)/);
    assert.match(text, /INTERNAL_ERROR \(fetch failed\) 1/);
  });

  it("fails on any violation unless its kind is tolerated, and counts the tolerated ones all the same", () => {
    assert.equal(buildChaosReport(optionsOf([]), resultWith([seatLost]), proxy, undefined).passed, false);
    const tolerated = buildChaosReport(optionsOf(["--tolerate", "seat-not-returned"]), resultWith([seatLost]), proxy, undefined);
    assert.equal(tolerated.passed, true);
    assert.deepEqual(tolerated.violationsByKind, { "seat-not-returned": 1 });
    const mixed = buildChaosReport(optionsOf(["--tolerate", "seat-not-returned"]), resultWith([seatLost, ghost]), proxy, undefined);
    assert.equal(mixed.passed, false);
    assert.deepEqual(mixed.violationsByKind, { "seat-not-returned": 1, ghost: 1 });
  });

  it("fails a run with a client never consistent, or one that timed out, whatever is tolerated", () => {
    const options = optionsOf(["--tolerate", "ghost"]);
    assert.equal(buildChaosReport(options, resultWith([], { inconsistent: 1 }), proxy, undefined).passed, false);
    assert.equal(buildChaosReport(options, resultWith([], { timedOut: "joins" }), proxy, undefined).passed, false);
  });
});
