import assert from "node:assert/strict";
import type { CheckOutcome, HopRecord, ParticipantRecord, SwitchResult } from "../switch";
import { SERVER_VIEWER, type Discrepancy } from "../switchCheck";
import { buildSwitchReport, renderSwitchMarkdown, renderSwitchSummary, renderSwitchSvg } from "../switchReport";

function participant(index: number, role: "observer" | "hopper", finalRoom: string): ParticipantRecord {
  const name = role === "observer" ? `switch-observer-0${index}` : `switch-00${index}`;
  return {
    index,
    name,
    playerId: `${role[0]}${index}`,
    role,
    finalRoom,
    hopsDone: role === "hopper" ? 2 : 0,
    joinErrors: 0,
    drops: 0,
    unexpectedCloses: [],
  };
}

function hop(client: number, hopNo: number, fields: Partial<HopRecord> = {}): HopRecord {
  return {
    client,
    hop: hopNo,
    from: hopNo === 0 ? null : "AAAAAA",
    to: "BBBBBB",
    atMs: 10 * hopNo,
    latencyMs: 20 + hopNo,
    error: null,
    leave: hopNo === 0 ? null : "confirmed",
    leaveMs: hopNo === 0 ? null : 5,
    leaveCloseCode: hopNo === 0 ? null : 4000,
    ...fields,
  };
}

const clean: CheckOutcome = { skipped: null, error: null, ms: 12, discrepancies: [], transient: {} };

function result(fields: Partial<SwitchResult> = {}): SwitchResult {
  return {
    endpoint: "http://127.0.0.1:1",
    clients: 2,
    rooms: 2,
    hops: 2,
    pauseMs: 50,
    startedAt: "2026-01-01T00:00:00.000Z",
    roomList: [
      { code: "AAAAAA", roomId: "ra", observer: "o0" },
      { code: "BBBBBB", roomId: "rb", observer: "o1" },
    ],
    participants: [
      participant(0, "observer", "AAAAAA"),
      participant(1, "observer", "BBBBBB"),
      participant(0, "hopper", "AAAAAA"),
      participant(1, "hopper", "BBBBBB"),
    ],
    hopRecords: [hop(0, 0), hop(1, 0), hop(0, 1), hop(0, 2), hop(1, 1), hop(1, 2)],
    truth: [
      { code: "AAAAAA", roomId: "ra", playerIds: ["o0", "h0"] },
      { code: "BBBBBB", roomId: "rb", playerIds: ["o1", "h1"] },
    ],
    phasesMs: { signIn: 1, create: 1, spread: 1, hops: 1, settle: 30, leave: 1 },
    settled: true,
    clientCheck: [],
    clientTransient: { missing: 2 },
    serverCheck: clean,
    finalCheck: clean,
    finalLeaveTimeouts: 0,
    hopsCpuPercent: 20,
    timedOut: null,
    ...fields,
  };
}

describe("switch report", () => {
  it("passes a clean run and counts hops apart from the spread's joins", () => {
    const report = buildSwitchReport(result(), undefined);
    assert.deepEqual(report.failures, []);
    assert.equal(report.passed, true);
    assert.equal(report.hopsPlanned, 4);
    assert.equal(report.hopsDone, 4);
    assert.equal(report.hopLatencyMs.count, 4);
    assert.equal(report.spreadJoinMs.count, 2);
    assert.deepEqual(report.leaves, { confirmed: 4, notConfirmed: 0, alreadyClosed: 0, closeCodes: { "4000": 4 } });
    assert.equal(report.overlappingHops, 0, "every leave (5 ms) was confirmed before its join (21-22 ms)");
    const overlapping = buildSwitchReport(
      result({ hopRecords: [hop(0, 1, { leaveMs: 40 }), hop(0, 2, { leave: "not-confirmed", leaveMs: null })] }),
      undefined,
    );
    assert.equal(overlapping.overlappingHops, 2);
    assert.deepEqual(report.finalRooms, [
      { code: "AAAAAA", roomId: "ra", players: ["switch-observer-00", "switch-000"] },
      { code: "BBBBBB", roomId: "rb", players: ["switch-observer-01", "switch-001"] },
    ]);
    assert.match(renderSwitchSummary(report, []), /PASS[\s\S]*settled in 30\.0 ms; earlier looks: missing 2/);
  });

  it("fails on a ghost, merging its seat and avatar and the clients and server that saw it", () => {
    const ghost = (viewer: string, kind: "ghost" | "ghost-avatar"): Discrepancy => ({
      kind,
      code: "AAAAAA",
      viewer,
      playerId: "h1",
      ...(kind === "ghost" ? { detail: "shown disconnected" } : {}),
    });
    const report = buildSwitchReport(
      result({
        settled: false,
        clientCheck: [ghost("o0", "ghost"), ghost("o0", "ghost-avatar"), ghost("h0", "ghost"), ghost("h0", "ghost-avatar")],
        serverCheck: { ...clean, discrepancies: [ghost(SERVER_VIEWER, "ghost")] },
      }),
      undefined,
    );
    assert.equal(report.passed, false);
    assert.deepEqual(report.ghosts, [
      {
        room: "AAAAAA",
        playerId: "h1",
        player: "switch-001",
        nowIn: "BBBBBB",
        seat: true,
        avatar: true,
        shown: ["shown disconnected"],
        seenBy: ["switch-observer-00", "switch-000", SERVER_VIEWER],
      },
    ]);
    assert.match(
      report.failures[0] ?? "",
      /^1 ghosts: switch-001 in AAAAAA, shown disconnected \(now in BBBBBB\), seen by 2 clients and the server/,
    );
    assert.ok(report.failures.some((f) => f.startsWith("server check: ")));
    assert.match(
      renderSwitchMarkdown(report, "c.svg"),
      /## Ghosts[\s\S]*\| AAAAAA \| switch-001 \| seat, avatar \| shown disconnected \| BBBBBB \|/,
    );
  });

  it("fails on join errors, unconfirmed leaves, a timeout and an unreadable admin API", () => {
    const report = buildSwitchReport(
      result({
        hopRecords: [
          hop(0, 0),
          hop(0, 1, { latencyMs: null, error: { code: "ROOM_FULL", message: "full" } }),
          hop(0, 2, { leave: "not-confirmed", leaveMs: null, leaveCloseCode: null }),
        ],
        timedOut: "hopping",
        finalCheck: { ...clean, error: "GET /admin/rooms: 401, the admin user or password is wrong" },
      }),
      undefined,
    );
    assert.equal(report.passed, false);
    assert.deepEqual(report.errors, { ROOM_FULL: 1 });
    assert.deepEqual(report.failures, [
      "timed out while hopping",
      "1 joins failed (ROOM_FULL 1)",
      "1 hop leaves not confirmed within 5 s",
      "after everyone left: GET /admin/rooms: 401, the admin user or password is wrong",
    ]);
  });

  it("passes with the admin checks skipped, and says they were", () => {
    const skipped: CheckOutcome = { skipped: "ADMIN_PASSWORD is not set", error: null, ms: null, discrepancies: [], transient: {} };
    const report = buildSwitchReport(result({ serverCheck: skipped, finalCheck: skipped }), undefined);
    assert.equal(report.passed, true);
    assert.match(renderSwitchSummary(report, []), /server \(admin API\)\s+skipped: ADMIN_PASSWORD is not set/);
    assert.match(renderSwitchMarkdown(report, "c.svg"), /\(b\) server.*skipped: ADMIN_PASSWORD is not set/);
  });

  it("renders an SVG and Markdown without NaN even with no samples", () => {
    const report = buildSwitchReport(result({ hopRecords: [], participants: [], truth: [] }), undefined);
    const svg = renderSwitchSvg(report);
    assert.match(svg, /^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.doesNotMatch(svg, /NaN|undefined|Infinity/);
    assert.doesNotMatch(renderSwitchMarkdown(report, "c.svg"), /NaN|undefined/);
  });
});
