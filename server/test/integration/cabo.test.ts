/**
 * The `cabo` room through the real SDK: a seeded match between three players and a spectator. Each
 * player holds exactly their own entitlements in their private part (setup peek, drawn card), the
 * spectator none; moves out of turn, out of phase or malformed are refused and change nothing; every
 * client's decoded state matches the hash the server computes for its view.
 */
import assert from "node:assert/strict";
import type { Room } from "@colyseus/sdk";
import type { CaboState } from "@tavern/shared/cabo/state";
import { hashState } from "@tavern/shared/stateHash";
import { errorOf, newPlayer, roomsLeftAfterEach, track, type Player, type SpaceRoomClient } from "../support/harness";
import { waitFor } from "../support/wait";

type CaboClient = Room<unknown, CaboState>;

async function enter(player: Player, how: { create?: Record<string, unknown>; code?: string; spectator?: boolean }): Promise<CaboClient> {
  const room = (how.code
    ? await player.client.join("cabo", { code: how.code, ...(how.spectator ? { spectator: true } : {}) })
    : await player.client.create("cabo", how.create ?? {})) as unknown as CaboClient;
  track(room as unknown as SpaceRoomClient);
  await waitFor("cabo state", () => Boolean(room.state?.code) && room.state.game !== undefined);
  return room;
}

const secretOf = (room: CaboClient, id: string) => room.state.secrets?.get(id);
const knownKeys = (room: CaboClient, id: string) => [...(secretOf(room, id)?.known.keys() ?? [])].sort();

describe("cabo room", function () {
  this.timeout(30_000);
  const rooms = roomsLeftAfterEach();

  it("deals to the seated players; each sees only its own setup cards and drawn card; bad moves change nothing", async () => {
    const [ana, ben, cat, eve] = await Promise.all(["ana", "ben", "cat", "eve"].map((n) => newPlayer(n)));
    const host = await enter(ana!, { create: { seed: "cabo-test-1", cabo: { peekSeconds: 2, turnSeconds: 30 } } });
    const code = host.state.code;
    const b = await enter(ben!, { code });
    const c = await enter(cat!, { code });
    const watcher = await enter(eve!, { code, spectator: true });
    rooms.push(host as never, b as never, c as never, watcher as never);
    const all = [host, b, c, watcher];
    const ids = [ana!, ben!, cat!].map((p) => p.session.playerId);

    assert.equal((await errorOf(b.request("move", { type: "draw" }))).code, "INVALID_PHASE", "no game before the start");
    await Promise.all([b, c].map((r) => r.request("ready", { ready: true })));
    await host.request("start", {});
    await waitFor("the deal", () => all.every((r) => r.state.game.phase === "setup" && r.state.game.players.length === 3));

    // Setup peek: own positions 0 and 1, nobody else's; the spectator has no private part at all.
    for (const [room, id] of [host, b, c].map((r, i) => [r, ids[i]!] as const)) {
      await waitFor("own setup cards", () => knownKeys(room, id).length === 2);
      assert.deepEqual(knownKeys(room, id), [`${id}:0`, `${id}:1`]);
      assert.deepEqual([...room.state.secrets.keys()], [id], "a player holds its own private part only");
    }
    assert.equal(watcher.state.secrets, undefined, "the private parts are not sent to a spectator at all");
    for (const r of all) for (const p of r.state.game.players) for (const slot of p.hand) assert.equal(slot.value, -1, "hidden in public");

    await waitFor("the setup peek ends", () => host.state.game.phase === "turn", 8000);
    for (const [room, id] of [host, b, c].map((r, i) => [r, ids[i]!] as const)) {
      await waitFor("setup cards gone", () => knownKeys(room, id).length === 0);
    }

    const turnSeat = host.state.game.turnSeat;
    const mover = [host, b, c][ids.indexOf(turnSeat)]!;
    const other = [host, b, c].find((r) => r !== mover)!;
    assert.equal((await errorOf(other.request("move", { type: "draw" }))).code, "NOT_YOUR_TURN");
    assert.equal((await errorOf(watcher.request("move", { type: "draw" }))).code, "PERMISSION_DENIED");
    assert.equal((await errorOf(mover.request("move", { type: "swap", positions: [0] }))).code, "INVALID_MOVE", "swap before drawing");
    assert.equal((await errorOf(mover.request("move", { type: "teleport" } as never))).code, "VALIDATION_ERROR");
    const drawPile = host.state.game.drawPile;

    await mover.request("move", { type: "draw" });
    await waitFor("the draw", () => all.every((r) => r.state.game.holdsDrawn && r.state.game.drawPile === drawPile - 1));
    const drawn = secretOf(mover, turnSeat)!.drawn;
    assert.ok(drawn >= 0 && drawn <= 13, "the drawer sees the drawn card");
    for (const r of all.filter((x) => x !== mover)) {
      assert.ok(![...(r.state.secrets?.values() ?? [])].some((s) => s.drawn !== -1), "nobody else holds a drawn card value");
    }

    await mover.request("move", { type: "discard" });
    await waitFor("the discard", () => all.every((r) => r.state.game.discard.at(-1) === drawn && !r.state.game.holdsDrawn));
    assert.equal(secretOf(mover, turnSeat)!.drawn, -1);
    await waitFor("the next turn", () => host.state.game.turnSeat !== turnSeat);

    for (const r of all) {
      const reply = (await r.request("stateHash", {})) as { hash: string };
      assert.equal(
        hashState(r.state),
        reply.hash,
        `${r === watcher ? "spectator" : "player"}: the decoded state is what the server says this client sees`,
      );
    }
  });

  it("refuses configs a card game cannot seat, and one player cannot start", async () => {
    const host = await newPlayer("dealer");
    const error = await errorOf(host.client.create("cabo", { config: { maxPlayers: 7 } }));
    assert.equal(error.code, "VALIDATION_ERROR");
    assert.match(error.message, /2 to 6 players/);
    const room = await enter(host, { create: {} });
    rooms.push(room as never);
    assert.equal(room.state.config.maxPlayers, 6);
    assert.equal(room.state.config.minPlayers, 2);
    const refused = await errorOf(room.request("config", { maxPlayers: 8 }));
    assert.equal(refused.code, "VALIDATION_ERROR");
    assert.equal((await errorOf(room.request("start", {}))).code, "INVALID_PHASE", "one player cannot start");
  });
});
