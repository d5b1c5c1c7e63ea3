import assert from "node:assert/strict";
import { hashState, type StateHashReply } from "@tavern/shared/stateHash";
import { AVATAR_SPEED } from "@tavern/shared/spaceMap";
import { CHAT_HISTORY, avatarsOf } from "@tavern/shared/state";
import { CHARACTER_COUNT } from "@tavern/shared/characters";
import { SPAWN_SPACING } from "../../src/domain/space/spawn";
import { ENDPOINT, harness, roomsLeftAfterEach, createSpace, errorOf, joinSpace, newPlayer, sleep, waitFor } from "../support/harness";

/**
 * What one join may cost each client already in a space: 97 bytes measured 2026-12-06 with the
 * avatar on its seat (126 when it had a map of its own, README, storm), plus room for the spawn
 * position's number encoding to vary.
 */
const JOIN_PATCH_BYTES = 101;

describe("space room: avatars, server-side movement, state hash", function () {
  this.timeout(30_000);
  const rooms = roomsLeftAfterEach();

  it("every player gets an avatar that all see; spectators get none; leaving removes it", async () => {
    const a = await newPlayer("walker-a");
    const roomA = await createSpace(a);
    const b = await newPlayer("walker-b");
    const roomB = await joinSpace(b, roomA.state.code);
    const spectator = await joinSpace(await newPlayer("eye"), roomA.state.code, { spectator: true });
    rooms.push(roomA, roomB, spectator);
    await waitFor("two avatars everywhere", () =>
      [roomA, roomB, spectator].every((r) => [...avatarsOf(r.state)].length === 2 && r.state.players.size === 3),
    );
    const avA = roomB.state.players.get(a.session.playerId)!.avatar!;
    const avB = roomB.state.players.get(b.session.playerId)!.avatar!;
    assert.notDeepEqual([avA.x, avA.y], [avB.x, avB.y], "distinct spawn points");
    await roomB.leave(true);
    await waitFor("B's avatar gone", () => !roomA.state.players.get(b.session.playerId)?.avatar);
  });

  it("spreads spawn points and gives each player a character: the one picked, else one nobody has", async () => {
    const host = await newPlayer("picker", undefined, 3);
    const roomA = await createSpace(host);
    const others = [];
    for (const name of ["plain-1", "plain-2", "plain-3"]) {
      const p = await newPlayer(name);
      others.push(p);
      rooms.push(await joinSpace(p, roomA.state.code));
    }
    rooms.push(roomA);
    await waitFor("four avatars", () => [...avatarsOf(roomA.state)].length === 4);
    assert.equal(roomA.state.players.get(host.session.playerId)!.character, 3, "the picked character");
    const characters = [...roomA.state.players.values()].map((p) => p.character);
    assert.equal(new Set(characters).size, 4, `distinct characters: ${characters.join(",")}`);
    assert.ok(characters.every((c) => c >= 0 && c < CHARACTER_COUNT));
    const spots = [...avatarsOf(roomA.state)].map(([, avatar]) => avatar);
    for (let i = 0; i < spots.length; i++)
      for (let j = i + 1; j < spots.length; j++) {
        const gap = Math.hypot(spots[i]!.x - spots[j]!.x, spots[i]!.y - spots[j]!.y);
        assert.ok(gap >= SPAWN_SPACING, `avatars ${i} and ${j} spawned ${gap} px apart`);
      }
    // A character outside the roster is refused at sign-in, with the usual error body.
    const res = await fetch(`${ENDPOINT}/api/auth/guest`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "cheater", character: CHARACTER_COUNT }),
    });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { code: string }).code, "VALIDATION_ERROR");
  });

  it("a move input on one client moves the avatar on every client, no faster than the speed limit", async () => {
    const a = await newPlayer("mover");
    const roomA = await createSpace(a);
    const roomB = await joinSpace(await newPlayer("watcher"), roomA.state.code);
    rooms.push(roomA, roomB);
    await waitFor("avatar visible", () => !!roomB.state.players.get(a.session.playerId)?.avatar);
    const seen = roomB.state.players.get(a.session.playerId)!.avatar!;
    const start = { x: seen.x, y: seen.y };
    const t0 = Date.now();
    await roomA.request("move", { dx: 1, dy: 0 });
    await waitFor("B sees A move", () => roomB.state.players.get(a.session.playerId)!.avatar!.x > start.x + 20);
    await roomA.request("move", { dx: 0, dy: 0 });
    const elapsed = (Date.now() - t0) / 1000;
    await sleep(150);
    const end = roomB.state.players.get(a.session.playerId)!.avatar!;
    const distance = Math.hypot(end.x - start.x, end.y - start.y);
    assert.ok(distance <= AVATAR_SPEED * (elapsed + 0.2), `moved ${distance}px in ${elapsed}s`);
    assert.equal(end.facing, "right");
    assert.equal(end.moving, false);
  });

  it("patches that move an avatar carry the server's send time; other patches leave it alone", async () => {
    const a = await newPlayer("stamped");
    const roomA = await createSpace(a);
    const roomB = await joinSpace(await newPlayer("clock-watcher"), roomA.state.code);
    rooms.push(roomA, roomB);
    await waitFor("avatar visible", () => !!roomB.state.players.get(a.session.playerId)?.avatar);
    const stamps: number[] = [];
    roomB.onStateChange((state) => stamps.push(state.serverTime));
    await sleep(300);
    assert.ok(
      stamps.every((t) => t === 0),
      "no server time while nobody moves",
    );

    const sentAt = Date.now();
    roomA.send("move", { dx: 0, dy: 1 });
    await waitFor("B sees A move", () => roomB.state.players.get(a.session.playerId)!.avatar!.moving);
    const first = roomB.state.serverTime;
    assert.ok(first >= sentAt && first <= Date.now(), `serverTime ${first} lies between the input (${sentAt}) and now`);
    await waitFor("a later patch with a later time", () => roomB.state.serverTime > first);

    roomA.send("move", { dx: 0, dy: 0 });
    await waitFor("stopped", () => !roomB.state.players.get(a.session.playerId)!.avatar!.moving);
    const stoppedAt = roomB.state.serverTime;
    const count = stamps.length;
    await sleep(300);
    assert.ok(
      stamps.slice(count).every((t) => t === stoppedAt),
      "the server time stays put once the avatar stopped",
    );
  });

  it("an idle room sends nothing; a walking avatar's patches carry its position and the send time only", async () => {
    const a = await newPlayer("walker");
    const roomA = await createSpace(a);
    const roomB = await joinSpace(await newPlayer("listener"), roomA.state.code);
    rooms.push(roomA, roomB);
    await waitFor("avatar visible", () => !!roomB.state.players.get(a.session.playerId)?.avatar);
    await sleep(300); // the joins' own patches and the listing update are over
    const frames: number[] = [];
    const socket = (roomB.connection.transport as unknown as { ws: WebSocket }).ws;
    socket.addEventListener("message", (event: MessageEvent) => frames.push((event.data as ArrayBuffer).byteLength));
    await sleep(500);
    assert.deepEqual(frames, [], "nobody moves: no frame at all");

    roomA.send("move", { dx: 1, dy: 0 });
    await waitFor("a few steps", () => frames.length >= 6);
    roomA.send("move", { dx: 0, dy: 0 });
    // The first patch also turns the avatar and sets it moving; the steady ones are x (float32),
    // the avatar's ref and serverTime: 1 code byte + ~2 + 5 + ~2 + 9.
    const steady = frames.slice(1, 5);
    assert.ok(
      steady.every((bytes) => bytes <= 20),
      `steady walking patches of ${steady.join(", ")} bytes`,
    );
  });

  it("a join reaches those already in the space as one patch of a seat and an avatar, nothing more", async () => {
    const a = await newPlayer("resident");
    const roomA = await createSpace(a);
    rooms.push(roomA);
    await sleep(300); // the creator's own join and the listing update are over
    const frames: number[] = [];
    const socket = (roomA.connection.transport as unknown as { ws: WebSocket }).ws;
    socket.addEventListener("message", (event: MessageEvent) => frames.push((event.data as ArrayBuffer).byteLength));
    const b = await newPlayer("newcomer");
    rooms.push(await joinSpace(b, roomA.state.code));
    await waitFor("the newcomer's avatar reaches the resident", () => !!roomA.state.players.get(b.session.playerId)?.avatar);
    await sleep(200);
    // Seat (id, name, role, connected, joinedAt, location, character) and its avatar (position,
    // facing): what the README's storm section counts. A field added to either shows here.
    const total = frames.reduce((sum, bytes) => sum + bytes, 0);
    assert.ok(total <= JOIN_PATCH_BYTES, `a join cost the resident ${total} bytes in ${frames.length} frames (${frames.join(", ")})`);
  });

  it("moveTo walks toward the target; bad movement input is refused and does not move", async () => {
    const a = await newPlayer("clicker");
    const room = await createSpace(a);
    rooms.push(room);
    await waitFor("avatar", () => !!room.state.players.get(a.session.playerId)?.avatar);
    const av = room.state.players.get(a.session.playerId)!.avatar!;
    const target = { x: av.x, y: av.y + 40 };
    await room.request("moveTo", target);
    await waitFor("arrived", () => Math.abs(room.state.players.get(a.session.playerId)!.avatar!.y - target.y) < 10, 3000);
    for (const bad of [{ dx: 2, dy: 0 }, { dx: "1", dy: 0 }, { x: 1 }, { dx: 0, dy: 0, speed: 99 }]) {
      assert.equal((await errorOf(room.request("move", bad))).code, "VALIDATION_ERROR");
    }
  });

  it("stateHash: each client's decoded state hashes to the server's hash of the same patch", async () => {
    const a = await newPlayer("hash-a");
    const roomA = await createSpace(a);
    const roomB = await joinSpace(await newPlayer("hash-b"), roomA.state.code);
    rooms.push(roomA, roomB);
    await roomA.request("move", { dx: 0, dy: 1 });
    for (let i = 0; i < 5; i++) {
      for (const room of [roomA, roomB]) {
        const reply = (await room.request("stateHash")) as StateHashReply;
        assert.match(reply.hash, /^[0-9a-f]{64}$/);
        assert.equal(hashState(room.state), reply.hash, `client ${room.sessionId} agrees at version ${reply.version}`);
      }
      await sleep(60);
    }
    const first = (await roomA.request("stateHash")) as StateHashReply;
    await sleep(120);
    const second = (await roomA.request("stateHash")) as StateHashReply;
    assert.ok(second.version > first.version, "versions increase with patches");
  });

  it("stateHash still agrees while avatars walk diagonally, to fractional positions (found by the fuzzer)", async () => {
    const a = await newPlayer("diagonal-a");
    const roomA = await createSpace(a);
    const roomB = await joinSpace(await newPlayer("diagonal-b"), roomA.state.code);
    rooms.push(roomA, roomB);
    await roomA.request("move", { dx: 1, dy: 1 });
    await roomB.request("move", { dx: -0.3, dy: 0.45 });
    await sleep(120);
    for (let i = 0; i < 4; i++) {
      for (const room of [roomA, roomB]) {
        const reply = (await room.request("stateHash")) as StateHashReply;
        assert.equal(hashState(room.state), reply.hash, `client ${room.sessionId} agrees at version ${reply.version}`);
      }
    }
    const avatar = roomA.state.players.get(a.session.playerId)!.avatar!;
    assert.ok(
      !Number.isInteger(avatar.x) || !Number.isInteger(avatar.y),
      `the walk reached a fractional position (${avatar.x}, ${avatar.y})`,
    );
  });

  it("a client joining between a chat line and the next patch holds exactly the server's chat, the history full (found by the fuzzer)", async () => {
    const host = await newPlayer("chatty-host");
    const room = await createSpace(host);
    rooms.push(room);
    const { colyseus } = await harness();
    const server = colyseus.getRoomById(room.roomId) as unknown as {
      patchRate: number | null;
      state: { chat: { length: number; map<T>(f: (line: { text: string }) => T): T[] } };
      chat: { append(playerId: string, name: string, text: string): void }; // protected: driven directly to control the timing
    };
    for (let i = 0; i < CHAT_HISTORY; i++) server.chat.append("", "", `line ${i}`);
    await room.request("stateHash"); // the full history went out in a patch
    const rate = server.patchRate;
    // No patch between the next line and the join: the joiner's full state is encoded with it pending.
    server.patchRate = null;
    server.chat.append("", "", "one line too many");
    const late = await joinSpace(await newPlayer("chatty-late"), room.state.code);
    rooms.push(late);
    server.patchRate = rate;
    const reply = (await late.request("stateHash")) as StateHashReply;
    assert.equal(server.state.chat.length, CHAT_HISTORY);
    assert.deepEqual(
      late.state.chat.map((line) => line.text),
      server.state.chat.map((line) => line.text),
    );
    assert.equal(hashState(late.state), reply.hash);
  });
});
