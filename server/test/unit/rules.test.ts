import assert from "node:assert/strict";
import { TavernError, type ErrorCode } from "@tavern/shared/errors";
import type { RoomConfig } from "@tavern/shared/protocol";
import {
  admitNewcomer,
  applyConfigPatch,
  checkCanStart,
  checkKick,
  checkTransferHost,
  pickNextHost,
  requirePhase,
  type Seat,
} from "../../src/domain/lobby/rules";

const config: RoomConfig = {
  maxPlayers: 3,
  minPlayers: 2,
  allowSpectators: true,
  maxSpectators: 1,
  private: false,
  reconnectGraceSeconds: 30,
  idleTimeoutSeconds: 600,
  locked: false,
};

type SeatWithId = Seat & { id: string };

function seat(id: string, over: Partial<Seat> = {}): SeatWithId {
  return { id, role: "player", connected: true, ready: false, joinedAt: 100, ...over };
}

/** Seats filed under their ids, as a room's seat map holds them. */
const byId = (seats: SeatWithId[]): Array<[string, Seat]> => seats.map((s) => [s.id, s]);

function throwsCode(fn: () => unknown, code: ErrorCode): void {
  assert.throws(fn, (err: unknown) => err instanceof TavernError && err.code === code);
}

describe("lifecycle rules", () => {
  describe("admitNewcomer", () => {
    it("seats players until maxPlayers, counting disconnected seats", () => {
      const seats = [seat("a", { role: "host" }), seat("b", { connected: false })];
      assert.equal(admitNewcomer(seats, config, { wantsSpectator: false, isKicked: false }), "player");
      throwsCode(() => admitNewcomer([...seats, seat("c")], config, { wantsSpectator: false, isKicked: false }), "ROOM_FULL");
    });
    it("counts spectators apart, and refuses them where not allowed", () => {
      const full = [seat("a", { role: "host" }), seat("b"), seat("c")];
      assert.equal(admitNewcomer(full, config, { wantsSpectator: true, isKicked: false }), "spectator");
      throwsCode(
        () => admitNewcomer([...full, seat("s", { role: "spectator" })], config, { wantsSpectator: true, isKicked: false }),
        "ROOM_FULL",
      );
      throwsCode(
        () => admitNewcomer([], { ...config, allowSpectators: false }, { wantsSpectator: true, isKicked: false }),
        "PERMISSION_DENIED",
      );
    });
    it("refuses kicked players even with free seats", () => {
      throwsCode(() => admitNewcomer([], config, { wantsSpectator: false, isKicked: true }), "KICKED");
    });
  });

  describe("pickNextHost", () => {
    it("picks the longest-present connected player, never a spectator, ties by id", () => {
      const seats = [
        seat("old-spectator", { role: "spectator", joinedAt: 1 }),
        seat("gone", { connected: false, joinedAt: 2 }),
        seat("zed", { joinedAt: 5 }),
        seat("amy", { joinedAt: 5 }),
        seat("late", { joinedAt: 9 }),
        seat("host", { role: "host", joinedAt: 0 }),
      ];
      assert.equal(pickNextHost(byId(seats), "host"), "amy");
    });
    it("returns undefined when nobody qualifies", () => {
      assert.equal(pickNextHost(byId([seat("s", { role: "spectator" }), seat("d", { connected: false })])), undefined);
    });
  });

  describe("checkCanStart", () => {
    it("needs minPlayers connected players and everyone but the host ready", () => {
      throwsCode(() => checkCanStart(byId([seat("h", { role: "host" })]), config, "h"), "INVALID_PHASE");
      throwsCode(() => checkCanStart(byId([seat("h", { role: "host" }), seat("p")]), config, "h"), "INVALID_PHASE");
      assert.doesNotThrow(() => checkCanStart(byId([seat("h", { role: "host" }), seat("p", { ready: true })]), config, "h"));
    });
    it("ignores spectators and disconnected players", () => {
      const seats = [
        seat("h", { role: "host" }),
        seat("p", { ready: true }),
        seat("s", { role: "spectator" }),
        seat("d", { connected: false }),
      ];
      assert.doesNotThrow(() => checkCanStart(byId(seats), config, "h"));
    });
  });

  describe("applyConfigPatch", () => {
    it("merges a valid patch", () => {
      assert.equal(applyConfigPatch(config, { maxPlayers: 10 }, []).maxPlayers, 10);
    });
    it("keeps a room type's player limits (a card game seats 2 to 6)", () => {
      const limits = { min: 2, max: 6 };
      assert.equal(applyConfigPatch({ ...config, minPlayers: 2 }, { maxPlayers: 6 }, [], limits).maxPlayers, 6);
      throwsCode(() => applyConfigPatch({ ...config, minPlayers: 2 }, { maxPlayers: 7 }, [], limits), "VALIDATION_ERROR");
      throwsCode(() => applyConfigPatch({ ...config, maxPlayers: 6 }, { minPlayers: 1 }, [], limits), "VALIDATION_ERROR");
    });
    it("refuses contradictions with the room as it is", () => {
      throwsCode(() => applyConfigPatch(config, { minPlayers: 5 }, []), "VALIDATION_ERROR");
      throwsCode(() => applyConfigPatch(config, { maxPlayers: 1 }, [seat("a"), seat("b")]), "VALIDATION_ERROR");
      throwsCode(() => applyConfigPatch(config, { allowSpectators: false }, [seat("s", { role: "spectator" })]), "VALIDATION_ERROR");
      throwsCode(() => applyConfigPatch(config, { maxSpectators: 0 }, [seat("s", { role: "spectator" })]), "VALIDATION_ERROR");
    });
  });

  describe("kick, transfer, phase", () => {
    const seats = new Map([
      ["h", seat("h", { role: "host" })],
      ["p", seat("p")],
      ["s", seat("s", { role: "spectator" })],
      ["d", seat("d", { connected: false })],
    ]);
    it("only the host kicks, never themselves, only seated players", () => {
      throwsCode(() => checkKick("p", "h", "s", seats), "PERMISSION_DENIED");
      throwsCode(() => checkKick("h", "h", "h", seats), "VALIDATION_ERROR");
      throwsCode(() => checkKick("h", "h", "x", seats), "NOT_FOUND");
      assert.doesNotThrow(() => checkKick("h", "h", "p", seats));
    });
    it("host goes only to a connected player", () => {
      throwsCode(() => checkTransferHost("p", "h", "p", seats), "PERMISSION_DENIED");
      throwsCode(() => checkTransferHost("h", "h", "s", seats), "VALIDATION_ERROR");
      throwsCode(() => checkTransferHost("h", "h", "d", seats), "VALIDATION_ERROR");
      throwsCode(() => checkTransferHost("h", "h", "x", seats), "NOT_FOUND");
      assert.doesNotThrow(() => checkTransferHost("h", "h", "p", seats));
    });
    it("phase guard names the phase", () => {
      assert.throws(() => requirePhase("playing", ["lobby"], "start"), /playing phase/);
      assert.doesNotThrow(() => requirePhase("lobby", ["lobby"], "start"));
    });
  });
});
