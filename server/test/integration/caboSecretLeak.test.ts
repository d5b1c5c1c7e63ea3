/**
 * The secret-leak test of Cabo: a seeded match played by bots through the real SDK (several
 * rounds, every power, a Cabo call, a dropped and reconnected player, a spectator) while the
 * entitlement oracle (../support/entitlementOracle.ts) decodes every state frame each client is
 * sent, at the moment it is sent, and checks what that client then holds against the rules' own
 * entitlements of that moment; after every broadcast, every client again. Then a leak is planted
 * on purpose, to show the oracle sees one.
 */
import assert from "node:assert/strict";
import type { Room } from "@colyseus/sdk";
import type { CaboMove } from "@tavern/shared/cabo/moves";
import { CaboState, UNKNOWN_CARD } from "@tavern/shared/cabo/state";
import { entitlementsOf, legalMoves, refKey, type CaboState as Game } from "../../src/domain/cabo";
import { watchEntitlements, type Holdings } from "../support/entitlementOracle";
import { dropConnection, harness, leaveQuietly, newPlayer, sleep, track, type SpaceRoomClient } from "../support/harness";
import { waitFor } from "../support/wait";

type CaboClient = Room<unknown, CaboState>;

/** What a decoded Cabo state holds of card values, keyed as the rules' refKey. */
export function caboHoldings(decoded: CaboState, viewer: string | null): Holdings {
  const held: Holdings = new Map();
  const game = decoded.game;
  if (!game) return held;
  game.players.forEach((p) =>
    p.hand.forEach((slot, position) => {
      if (slot.present && slot.value !== UNKNOWN_CARD) held.set(`hand:${p.seat}:${position}`, slot.value);
    }),
  );
  game.discard.forEach((value, index) => held.set(`discard:${index}`, value));
  decoded.secrets?.forEach((secret, owner) => {
    // Another player's private part must never arrive at all: a key no one is entitled to.
    if (owner !== viewer) held.set(`private-part-of:${owner}`, 1);
    if (secret.drawn !== UNKNOWN_CARD) held.set(`drawn:${owner}`, secret.drawn);
    secret.known.forEach((value, key) => held.set(`hand:${key}`, value));
  });
  return held;
}

/** A small seeded generator, so the bots' choices replay. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe("secret-leak test: Cabo, every frame against the entitlement oracle", function () {
  this.timeout(150_000);

  it("no client ever holds a card value it is not entitled to at that moment, through rounds, powers, a reconnection and a spectator", async () => {
    const { colyseus } = await harness();
    const players = await Promise.all(["ava", "bo", "cy"].map((n) => newPlayer(n)));
    const watcher = await newPlayer("wren");
    const ids = players.map((p) => p.session.playerId);
    let serverRoom: { game?: Game; broadcastPatch(): boolean; state: CaboState } | undefined;
    const report = watchEntitlements({
      newState: () => new CaboState(),
      viewerOf: (client) => {
        const id = (client.auth as { playerId?: string } | undefined)?.playerId;
        if (id === watcher.session.playerId) return null;
        return id !== undefined && ids.includes(id) ? id : undefined;
      },
      holdings: caboHoldings,
      entitled: (viewer) => {
        const game = serverRoom?.game;
        return new Map(game ? entitlementsOf(game, viewer).map((e) => [refKey(e.ref), e.value]) : []);
      },
    });
    const rooms: CaboClient[] = [];
    try {
      const create = { seed: "leak-test-7", roundPauseSeconds: 1, cabo: { peekSeconds: 1, turnSeconds: 5, revealSeconds: 1 } };
      const host = (await players[0]!.client.create("cabo", { ...create, config: { reconnectGraceSeconds: 20 } })) as unknown as CaboClient;
      rooms.push(host);
      await waitFor("code", () => Boolean(host.state?.code));
      serverRoom = colyseus.getRoomById(host.roomId) as unknown as NonNullable<typeof serverRoom>;
      report.watchBroadcasts(serverRoom);
      for (const p of players.slice(1)) rooms.push((await p.client.join("cabo", { code: host.state.code })) as unknown as CaboClient);
      const spectator = (await watcher.client.join("cabo", { code: host.state.code, spectator: true })) as unknown as CaboClient;
      for (const r of [...rooms, spectator]) track(r as unknown as SpaceRoomClient);
      await Promise.all(rooms.slice(1).map((r) => r.request("ready", { ready: true })));
      await host.request("start", {});

      const random = lcg(7);
      const powersUsed = new Set<string>();
      let cabos = 0;
      let dropped = false;
      let reconnected = false;
      rooms[1]!.reconnection.minUptime = 0;
      rooms[1]!.onReconnect(() => (reconnected = true));
      const deadline = Date.now() + 110_000;
      const roundsDone = () => serverRoom?.game?.history.length ?? 0;
      while (Date.now() < deadline) {
        const game = serverRoom.game;
        if (!game || game.phase === "matchEnd") break;
        if (roundsDone() >= 3 && powersUsed.size === 3 && cabos > 0 && reconnected) break;
        if (!dropped && roundsDone() >= 1 && game.phase === "turn") {
          dropped = true;
          await dropConnection(rooms[1] as unknown as SpaceRoomClient);
        }
        let acted = false;
        for (const [i, id] of ids.entries()) {
          const room = rooms[i]!;
          if (!room.connection.isOpen) continue;
          const moves = legalMoves(game, id);
          if (moves.length === 0) continue;
          const move = choose(moves, random, powersUsed);
          if (move.type === "discard" && move.power) powersUsed.add(move.power.kind);
          if (move.type === "callCabo") cabos++;
          await room.request("move", move).catch(() => undefined); // a move the state moved past meanwhile
          acted = true;
          break;
        }
        await sleep(acted ? 30 : 60);
      }

      assert.deepEqual(report.violations.slice(0, 5), [], "no client held a value it was not entitled to");
      assert.ok(roundsDone() >= 2, `rounds played: ${roundsDone()}`);
      assert.deepEqual([...powersUsed].sort(), ["peek", "spy", "swap"], "every power was used");
      assert.ok(cabos > 0, "Cabo was called");
      assert.ok(reconnected, "the dropped player came back");
      assert.ok(report.framesChecked > 100, `frames checked: ${report.framesChecked}`);
      console.log(`      ${report.framesChecked} frames and ${report.checks} holdings checked over ${roundsDone()} rounds`);
      await waitFor("the reconnected player holds its part again", () => rooms[1]!.state.secrets?.has(ids[1]!) === true);

      // The oracle bites: a hidden card's value written into the public slot is seen at once.
      await waitFor("a round with hidden cards", () => serverRoom?.game?.phase === "turn", 15_000);
      const game = serverRoom.game!;
      const hidden = game.players
        .flatMap((p) => p.hand.map((slot, position) => ({ p, slot, position })))
        .find((x) => x.slot && !x.slot.faceUp);
      assert.ok(hidden, "a hidden card to plant");
      const before = report.violations.length;
      const seat = serverRoom.state.game.players.find((p) => p.seat === hidden.p.seat)!;
      seat.hand[hidden.position]!.value = hidden.slot!.value;
      await waitFor("the planted leak is reported", () => report.violations.length > before);
    } finally {
      report.stop();
      await Promise.all(rooms.map((r) => leaveQuietly(r)));
    }
  });
});

/** A bot's choice: a power whenever one is offered and not yet used, Cabo now and then, otherwise any legal move. */
function choose(moves: CaboMove[], random: () => number, used: ReadonlySet<string>): CaboMove {
  const newPower = moves.find((m) => m.type === "discard" && m.power && !used.has(m.power.kind));
  if (newPower) return newPower;
  const cabo = moves.find((m) => m.type === "callCabo");
  if (cabo && random() < 0.2) return cabo;
  const powered = moves.filter((m) => m.type === "discard" && m.power);
  if (powered.length > 0 && random() < 0.5) return powered[Math.floor(random() * powered.length)]!;
  const plain = moves.filter((m) => m.type !== "callCabo");
  return plain[Math.floor(random() * plain.length)]!;
}
