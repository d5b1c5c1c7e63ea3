import assert from "node:assert/strict";
import fc from "fast-check";
import { TavernError, type ErrorCode } from "@tavern/shared/errors";
import type { GameWrite } from "@tavern/shared/platform";
import { LobbyState, PlayerState } from "@tavern/shared/state";
import { planWrite, type PresenceSnapshot, type SeatPresence } from "../../src/domain/lobby/presence";
import { RoomPresence } from "../../src/lifecycle/roomPresence";

function throwsCode(fn: () => unknown, code: ErrorCode): void {
  assert.throws(fn, (err: unknown) => err instanceof TavernError && err.code === code);
}

const seat = (location: SeatPresence["location"] = "lobby", spectator = false): SeatPresence => ({ location, status: "", spectator });

function snapshot(over: Partial<PresenceSnapshot> = {}): PresenceSnapshot {
  return {
    version: 3,
    seats: new Map([
      ["ana", seat()],
      ["bo", seat("game")],
      ["cy", seat("lobby", true)],
    ]),
    currentGameId: undefined,
    ...over,
  };
}

describe("presence rules (domain/lobby/presence)", () => {
  it("refuses a stale expectedVersion with the current one", () => {
    try {
      planWrite(snapshot(), { kind: "players", players: [{ playerId: "ana", location: "game" }], expectedVersion: 2 });
      assert.fail("expected a refusal");
    } catch (err) {
      assert.ok(err instanceof TavernError);
      assert.equal(err.code, "VERSION_CONFLICT");
      assert.deepEqual(err.details, { currentVersion: 3 });
    }
  });

  it("refuses a whole bulk write when one player is not seated", () => {
    throwsCode(
      () =>
        planWrite(snapshot(), {
          kind: "players",
          players: [
            { playerId: "ana", location: "game" },
            { playerId: "zed", location: "game" },
          ],
        }),
      "NOT_FOUND",
    );
  });

  it("does not send spectators to the game", () => {
    throwsCode(() => planWrite(snapshot(), { kind: "players", players: [{ playerId: "cy", location: "game" }] }), "PERMISSION_DENIED");
  });

  it("a heartbeat sees the game's players and steps no version", () => {
    const plan = planWrite(snapshot(), { kind: "heartbeat" });
    assert.deepEqual(plan.seen, ["bo"]);
    assert.equal(plan.steps, false);
  });

  it("one game at a time; its end brings its players back to the lobby", () => {
    throwsCode(() => planWrite(snapshot({ currentGameId: "g1" }), { kind: "gameStarted", gameId: "g2" }), "INVALID_PHASE");
    throwsCode(() => planWrite(snapshot(), { kind: "gameEnded", gameId: "g1" }), "INVALID_PHASE");
    const plan = planWrite(snapshot({ currentGameId: "g1" }), { kind: "gameEnded", gameId: "g1", result: { winner: "bo" } });
    assert.deepEqual(plan.seats, [{ playerId: "bo", location: "lobby" }]);
  });
});

function roomState(ids: string[]): LobbyState {
  const state = new LobbyState();
  state.code = "ACDEFG";
  for (const id of ids) state.players.set(id, new PlayerState().assign({ name: id }));
  return state;
}

describe("room presence (lifecycle/roomPresence)", () => {
  const presenceOf = (state: LobbyState) => new RoomPresence({ state, nextBroadcast: async () => true, now: () => 1000 });

  it("a drop shows disconnected and a return restores where the player was, each a version step", async () => {
    const state = roomState(["ana"]);
    const presence = presenceOf(state);
    await presence.write({ kind: "players", players: [{ playerId: "ana", location: "game" }] }, false);
    assert.equal(state.lobbyVersion, 1);
    presence.dropped("ana");
    assert.equal(state.players.get("ana")!.location, "disconnected");
    assert.equal(state.lobbyVersion, 2);
    presence.seated("ana");
    assert.equal(state.players.get("ana")!.location, "game");
    assert.equal(state.lobbyVersion, 3);
  });

  it("a game that ends while a player is dropped brings them back to the lobby on return", async () => {
    const state = roomState(["ana"]);
    const presence = presenceOf(state);
    await presence.write({ kind: "gameStarted", gameId: "g" }, false);
    await presence.write({ kind: "players", players: [{ playerId: "ana", location: "game" }] }, false);
    presence.dropped("ana");
    await presence.write({ kind: "gameEnded", gameId: "g", result: { ok: true } }, false);
    presence.seated("ana");
    assert.equal(state.players.get("ana")!.location, "lobby");
    assert.equal(state.lastGame?.result, '{"ok":true}');
  });

  it("answers a write it has seen under the same key without changing again", async () => {
    const state = roomState(["ana"]);
    const presence = presenceOf(state);
    const write: GameWrite = { kind: "players", players: [{ playerId: "ana", status: "x" }] };
    const first = await presence.write(write, false, "lineage:k1");
    const again = await presence.write(write, false, "lineage:k1");
    assert.ok(first.ok && again.ok);
    assert.equal(again.reply.updateId, first.reply.updateId);
    assert.equal(state.lobbyVersion, 1);
  });

  it("property: any sequence of writes and drops moves the version once per accepted step and never leaves a seat unknown", async () => {
    const ids = ["ana", "bo", "cy"];
    const op = fc.oneof(
      fc.record({
        t: fc.constant("write" as const),
        id: fc.constantFrom(...ids, "zed"),
        loc: fc.constantFrom("lobby" as const, "game" as const),
      }),
      fc.record({ t: fc.constantFrom("drop" as const, "return" as const), id: fc.constantFrom(...ids) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 40 }), async (ops) => {
        const state = roomState(ids);
        const presence = presenceOf(state);
        for (const o of ops) {
          const before = state.lobbyVersion;
          const location = state.players.get(o.id)?.location;
          if (o.t === "write") {
            const outcome = await presence.write({ kind: "players", players: [{ playerId: o.id, location: o.loc }] }, false);
            assert.equal(outcome.ok, o.id !== "zed");
            assert.equal(state.lobbyVersion, before + (outcome.ok ? 1 : 0));
          } else if (o.t === "drop") {
            presence.dropped(o.id);
            assert.equal(state.lobbyVersion, before + (location === "disconnected" ? 0 : 1));
          } else {
            presence.seated(o.id);
            assert.equal(state.lobbyVersion, before + (location === "disconnected" ? 1 : 0));
          }
          for (const p of state.players.values()) assert.ok(["lobby", "game", "disconnected"].includes(p.location));
        }
      }),
      { numRuns: 200 },
    );
  });
});
