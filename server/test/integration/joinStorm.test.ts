import assert from "node:assert/strict";
import { roomsLeftAfterEach, createSpace, errorOf, harness, joinSpace, newPlayer, waitFor, type SpaceRoomClient } from "../support/harness";

describe("join storm into one space room", function () {
  this.timeout(60_000);
  const rooms = roomsLeftAfterEach();

  it("60 simultaneous joins: every client sees all 60 players with the right names, none twice", async () => {
    const host = await newPlayer("storm-host");
    const hostRoom = await createSpace(host, { maxPlayers: 60 });
    rooms.push(hostRoom);
    const code = hostRoom.state.code;

    const joiners = await Promise.all(Array.from({ length: 59 }, (_, i) => newPlayer(`storm-${i}`)));
    const joined = await Promise.all(joiners.map((p) => joinSpace(p, code)));
    rooms.push(...joined);

    const everyone = [hostRoom, ...joined];
    const expected = new Map([host, ...joiners].map((p) => [p.session.playerId, p.session.name]));
    await waitFor("every client to see 60 players", () => everyone.every((r) => r.state.players.size === 60), 20_000);

    for (const room of everyone) {
      const seen = new Map<string, string>();
      const names: string[] = [];
      room.state.players.forEach((player, key) => {
        seen.set(key, player.name);
        names.push(player.name);
      });
      assert.deepEqual(seen, expected, "each client sees exactly the 60 signed-in players with their names");
      assert.equal(new Set(names).size, 60, "no name appears twice");
    }
    const hosts = [...hostRoom.state.players.values()].filter((p) => p.role === "host");
    assert.equal(hosts.length, 1);
    assert.equal(hostRoom.state.hostId, host.session.playerId);
  });

  it("a space created with no config takes a storm of 60: everyone sees everyone", async () => {
    const host = await newPlayer("default-host");
    const hostRoom = await createSpace(host);
    rooms.push(hostRoom);
    assert.ok(hostRoom.state.config.maxPlayers >= 100, `default capacity ${hostRoom.state.config.maxPlayers}`);
    const joiners = await Promise.all(Array.from({ length: 59 }, (_, i) => newPlayer(`default-${i}`)));
    const joined = await Promise.all(joiners.map((p) => joinSpace(p, hostRoom.state.code)));
    rooms.push(...joined);
    await waitFor("every client to see 60 players", () => [hostRoom, ...joined].every((r) => r.state.players.size === 60), 20_000);
  });

  it("maxPlayers 40 under a storm of 60: exactly 40 get in, the other 20 get ROOM_FULL", async () => {
    const host = await newPlayer("cap-host");
    const hostRoom = await createSpace(host, { maxPlayers: 40 });
    rooms.push(hostRoom);
    const code = hostRoom.state.code;

    const joiners = await Promise.all(Array.from({ length: 59 }, (_, i) => newPlayer(`cap-${i}`)));
    const outcomes = await Promise.allSettled(joiners.map((p) => joinSpace(p, code)));
    const admitted = outcomes.filter((o) => o.status === "fulfilled").map((o) => o.value as SpaceRoomClient);
    rooms.push(...admitted);
    const refusals = await Promise.all(outcomes.filter((o) => o.status === "rejected").map((o) => errorOf(Promise.reject(o.reason))));

    assert.equal(admitted.length, 39, "39 joiners plus the host fill the 40 seats");
    assert.equal(refusals.length, 20);
    assert.deepEqual(new Set(refusals.map((r) => r.code)), new Set(["ROOM_FULL"]));
    await waitFor("host sees 40 players", () => hostRoom.state.players.size === 40);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(hostRoom.state.players.size, 40, "capacity holds after the storm settles");
    const server = (await harness()).colyseus.getRoomById(hostRoom.roomId);
    assert.equal(server.clients.length, 40, "the server holds exactly 40 connections");
  });
});
