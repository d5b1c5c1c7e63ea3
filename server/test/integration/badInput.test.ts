import assert from "node:assert/strict";
import type { ErrorCode } from "@tavern/shared/errors";
import {
  createSpace,
  errorOf,
  harness,
  inbox,
  joinSpace,
  leaveQuietly,
  newPlayer,
  waitFor,
  type SpaceRoomClient,
} from "../support/harness";

interface Case {
  name: string;
  as: "host" | "player";
  type: string;
  payload: unknown;
  code: ErrorCode;
  /** Put the room in this phase first. */
  phase?: "playing";
}

const huge = "x".repeat(3000);

const cases: Case[] = [
  { name: "ready with a string", as: "player", type: "ready", payload: { ready: "yes" }, code: "VALIDATION_ERROR" },
  { name: "ready with no payload", as: "player", type: "ready", payload: undefined, code: "VALIDATION_ERROR" },
  { name: "ready with an extra field", as: "player", type: "ready", payload: { ready: true, admin: true }, code: "VALIDATION_ERROR" },
  { name: "chat with a number", as: "player", type: "chat", payload: { text: 42 }, code: "VALIDATION_ERROR" },
  { name: "chat with an empty text", as: "player", type: "chat", payload: { text: "   " }, code: "VALIDATION_ERROR" },
  { name: "chat with a huge text", as: "player", type: "chat", payload: { text: huge }, code: "VALIDATION_ERROR" },
  { name: "chat with control characters", as: "player", type: "chat", payload: { text: "a\u0007b" }, code: "VALIDATION_ERROR" },
  { name: "chat as an array", as: "player", type: "chat", payload: ["hello"], code: "VALIDATION_ERROR" },
  { name: "kick without a player id", as: "host", type: "kick", payload: {}, code: "VALIDATION_ERROR" },
  { name: "kick with a huge player id", as: "host", type: "kick", payload: { playerId: huge }, code: "VALIDATION_ERROR" },
  { name: "kick of an unknown player", as: "host", type: "kick", payload: { playerId: "nobody" }, code: "NOT_FOUND" },
  { name: "config with a negative maxPlayers", as: "host", type: "config", payload: { maxPlayers: -1 }, code: "VALIDATION_ERROR" },
  { name: "config with a float", as: "host", type: "config", payload: { maxPlayers: 2.5 }, code: "VALIDATION_ERROR" },
  { name: "config with an unknown key", as: "host", type: "config", payload: { gravity: 9 }, code: "VALIDATION_ERROR" },
  { name: "config below the seated players", as: "host", type: "config", payload: { maxPlayers: 1 }, code: "VALIDATION_ERROR" },
  { name: "an unknown request type", as: "player", type: "teleport", payload: { x: 1 }, code: "UNKNOWN_REQUEST" },
  { name: "config by a player", as: "player", type: "config", payload: { maxPlayers: 4 }, code: "PERMISSION_DENIED" },
  { name: "start by a player", as: "player", type: "start", payload: undefined, code: "PERMISSION_DENIED" },
  { name: "kick by a player", as: "player", type: "kick", payload: { playerId: "x" }, code: "PERMISSION_DENIED" },
  { name: "transferHost by a player", as: "player", type: "transferHost", payload: { playerId: "x" }, code: "PERMISSION_DENIED" },
  { name: "finish while in the lobby", as: "host", type: "finish", payload: undefined, code: "INVALID_PHASE" },
  { name: "reset while in the lobby", as: "host", type: "reset", payload: undefined, code: "INVALID_PHASE" },
  { name: "start while playing", as: "host", type: "start", payload: undefined, code: "INVALID_PHASE", phase: "playing" },
  { name: "config while playing", as: "host", type: "config", payload: { maxPlayers: 9 }, code: "INVALID_PHASE", phase: "playing" },
  { name: "ready while playing", as: "player", type: "ready", payload: { ready: true }, code: "INVALID_PHASE", phase: "playing" },
];

describe("bad input: each gets its error code and the room keeps serving", function () {
  this.timeout(30_000);
  let host: SpaceRoomClient;
  let player: SpaceRoomClient;
  let bystander: SpaceRoomClient;

  before(async () => {
    await harness();
    host = await createSpace(await newPlayer("bad-host"), { minPlayers: 1 });
    player = await joinSpace(await newPlayer("bad-player"), host.state.code);
    bystander = await joinSpace(await newPlayer("bystander"), host.state.code);
    await waitFor("three seated", () => host.state.players.size === 3);
  });

  after(async () => {
    await Promise.all([host, player, bystander].map(leaveQuietly));
  });

  for (const c of cases) {
    it(`${c.name} → ${c.code}`, async () => {
      if (c.phase === "playing" && host.state.phase !== "playing") {
        await player.request("ready", { ready: true });
        await bystander.request("ready", { ready: true });
        await host.request("start");
        await waitFor("playing", () => player.state.phase === "playing");
      }
      const sender = c.as === "host" ? host : player;
      const err = await errorOf(sender.request(c.type, c.payload));
      assert.equal(err.code, c.code, `got ${err.code}: ${err.message}`);
      assert.ok(err.message.length > 0);

      // The sender stays connected and the room keeps serving everyone.
      assert.equal(sender.connection.isOpen, true, "the sender is still connected");
      const pong = (await sender.request("ping")) as { now: number };
      assert.equal(typeof pong.now, "number", "the sender is still answered");
      assert.equal(typeof ((await bystander.request("ping")) as { now: number }).now, "number", "others are answered");
    });
  }

  it("after all of that, state changes still reach every client", async () => {
    await bystander.request("chat", { text: "the room survived" });
    await waitFor("chat reaches host and player", () =>
      [host, player].every((r) => r.state.chat.some((l) => l.text === "the room survived")),
    );
  });

  it("an unknown plain message (send, not request) gets an error message and no disconnect", async () => {
    player.send("nonsense", { a: 1 });
    await waitFor("error message", () => inbox(player).error.length > 0);
    assert.equal(inbox(player).error[0]?.code, "UNKNOWN_REQUEST");
    assert.equal(player.connection.isOpen, true);
  });

  it("a message over the transport's payload limit closes only that connection", async () => {
    const victim = await joinSpace(await newPlayer("oversize"), host.state.code);
    victim.reconnection.enabled = false;
    victim.send("chat", { text: "y".repeat(20_000) });
    await waitFor("oversized sender disconnected", () => inbox(victim).leaveCodes.length > 0);
    assert.equal(bystander.connection.isOpen, true);
    assert.equal(typeof ((await bystander.request("ping")) as { now: number }).now, "number", "room still serving");
  });
});
