import assert from "node:assert/strict";
import { CLOSE_CODES } from "@tavern/shared/protocol";
import { hashState, type StateHashReply } from "@tavern/shared/stateHash";
import {
  roomsLeftAfterEach,
  createSpace,
  dropConnection,
  errorOf,
  inbox,
  joinSpace,
  newPlayer,
  sdkClient,
  sleep,
  track,
  waitFor,
  type SpaceRoomClient,
} from "../support/harness";

describe("host migration, kicks, reconnection and seats", function () {
  this.timeout(30_000);
  const rooms = roomsLeftAfterEach();

  async function threeInRoom(config: Record<string, unknown> = {}) {
    const [a, b, c] = await Promise.all([newPlayer("Ada"), newPlayer("Bo"), newPlayer("Cy")]);
    const roomA = await createSpace(a, config);
    const roomB = await joinSpace(b, roomA.state.code);
    await sleep(5); // distinct joinedAt so the longest-present rule has one answer
    const roomC = await joinSpace(c, roomA.state.code);
    rooms.push(roomA, roomB, roomC);
    await waitFor("all see three", () => [roomA, roomB, roomC].every((r) => r.state.players.size === 3));
    return { a, b, c, roomA, roomB, roomC };
  }

  it("host leaves: the longest-present connected player becomes host, announced to the room", async () => {
    const { a, b, roomA, roomB, roomC } = await threeInRoom();
    assert.equal(roomB.state.hostId, a.session.playerId);
    await roomA.leave(true);
    await waitFor("B is host", () => roomB.state.hostId === b.session.playerId && roomC.state.hostId === b.session.playerId);
    assert.equal(roomB.state.players.get(b.session.playerId)?.role, "host");
    assert.equal(roomB.state.players.has(a.session.playerId), false);
    await waitFor("announcement", () => inbox(roomC).announcement.some((m) => m.kind === "host-changed"));
    const note = inbox(roomC).announcement.find((m) => m.kind === "host-changed");
    assert.equal(note?.playerId, b.session.playerId);
    assert.equal(note?.previousHostId, a.session.playerId);
    assert.match(note?.text ?? "", /Bo is now the host/);
  });

  it("a crowd leaving in join order is told of the host change once per patch, not once per departure, and hashes agree", async () => {
    const players = await Promise.all(["Ada", "Bo", "Cy", "Di", "Ed"].map((name) => newPlayer(name)));
    const [first, ...others] = players;
    const host = await createSpace(first!);
    const joined: SpaceRoomClient[] = [host];
    for (const player of others) {
      await sleep(3); // distinct joinedAt: the host role goes down the join order
      joined.push(await joinSpace(player, host.state.code));
    }
    rooms.push(...joined);
    const [, , , di, ed] = joined as [SpaceRoomClient, SpaceRoomClient, SpaceRoomClient, SpaceRoomClient, SpaceRoomClient];
    await waitFor("all see five", () => joined.every((r) => r.state.players.size === 5));
    const diId = players[3]!.session.playerId;

    // The host, then each next host, leave at once: three host changes within a patch or two.
    await Promise.all(joined.slice(0, 3).map((room) => room.leave(true)));
    await waitFor("Di is host", () => ed.state.hostId === diId && di.state.hostId === diId);
    await sleep(150); // three patch intervals: every announcement has gone out
    const told = inbox(ed).announcement.filter((m) => m.kind === "host-changed");
    assert.ok(told.length >= 1 && told.length <= 2, `${told.length} host-change announcements: ${told.map((m) => m.text).join(" | ")}`);
    assert.equal(told[0]?.previousHostId, players[0]!.session.playerId, "told from the host before the first change");
    assert.equal(told.at(-1)?.playerId, diId, "to the host after the last");
    const lines = ed.state.chat.filter((line) => / is now the host /.test(line.text)).length;
    assert.equal(lines, told.length, "one chat line per announcement");
    for (const room of [di, ed]) {
      const reply = (await room.request("stateHash")) as StateHashReply;
      assert.equal(hashState(room.state), reply.hash, "the announcement's chat line is covered by its patch's hash");
    }
  });

  it("host drops: the seat is held (connected false) and migration happens only after the grace period", async () => {
    const { a, b, roomA, roomB } = await threeInRoom({ reconnectGraceSeconds: 2 });
    roomA.reconnection.enabled = false; // the host never comes back
    const dropped = Date.now();
    await dropConnection(roomA);
    await waitFor("host shown disconnected", () => roomB.state.players.get(a.session.playerId)?.connected === false);
    assert.equal(roomB.state.hostId, a.session.playerId, "still host during the grace period");
    await sleep(1000);
    assert.equal(roomB.state.hostId, a.session.playerId, "still host one second in");
    await waitFor("B becomes host after grace", () => roomB.state.hostId === b.session.playerId, 5000);
    assert.ok(Date.now() - dropped >= 1900, "migration waited for the 2 s grace period");
    assert.equal(roomB.state.players.has(a.session.playerId), false, "the seat is released after grace");
  });

  it("drop and automatic reconnection keep the seat, the player id and the session", async () => {
    const { b, roomB, roomC } = await threeInRoom();
    roomB.reconnection.minUptime = 0;
    const sessionBefore = roomB.sessionId;
    let reconnected = false;
    roomB.onReconnect(() => (reconnected = true));
    await dropConnection(roomB);
    await waitFor("C sees B disconnected", () => roomC.state.players.get(b.session.playerId)?.connected === false);
    await waitFor("B reconnected", () => reconnected, 10_000);
    await waitFor("C sees B connected again", () => roomC.state.players.get(b.session.playerId)?.connected === true);
    assert.equal(roomB.sessionId, sessionBefore);
    assert.equal(roomC.state.players.size, 3, "no second seat for B");
    assert.equal(roomB.state.players.size, 3, "B's resynced state has everyone");
    await roomB.request("chat", { text: "back" });
    await waitFor("chat after reconnect", () => roomC.state.chat.some((l) => l.text === "back"));
  });

  it("the same token in a second tab takes over the seat: one player, and the first tab is told why", async () => {
    const { b, roomB, roomC } = await threeInRoom();
    const secondTab = track((await sdkClient(b.session.token).join("space", { code: roomC.state.code })) as SpaceRoomClient);
    rooms.push(secondTab);
    await waitFor("second tab state", () => secondTab.state?.players?.size === 3);
    await waitFor("first tab closed", () => inbox(roomB).leaveCodes.length > 0);
    assert.deepEqual(inbox(roomB).leaveCodes, [CLOSE_CODES.REPLACED]);
    assert.equal(inbox(roomB).closing[0]?.reason, "replaced");
    await sleep(200);
    assert.equal(roomC.state.players.size, 3);
    assert.equal(roomC.state.players.get(b.session.playerId)?.connected, true);
    await secondTab.request("ready", { ready: true });
    await waitFor("ready through the new tab", () => roomC.state.players.get(b.session.playerId)?.ready === true);
  });

  it("a reload during the grace period takes back the seat instead of making a second avatar", async () => {
    const { b, roomB, roomC } = await threeInRoom({ reconnectGraceSeconds: 20 });
    roomB.reconnection.enabled = false;
    await dropConnection(roomB);
    await waitFor("B disconnected", () => roomC.state.players.get(b.session.playerId)?.connected === false);
    const reloaded = await joinSpace({ session: b.session, client: sdkClient(b.session.token) }, roomC.state.code);
    rooms.push(reloaded);
    await waitFor("B connected again", () => roomC.state.players.get(b.session.playerId)?.connected === true);
    assert.equal(roomC.state.players.size, 3);
    assert.equal(reloaded.state.players.size, 3);
  });

  it("a kick sticks: the player is removed, told why, and refused when rejoining", async () => {
    const { b, roomA, roomB, roomC } = await threeInRoom();
    await roomA.request("kick", { playerId: b.session.playerId });
    await waitFor("B removed", () => !roomC.state.players.has(b.session.playerId));
    await waitFor("B told", () => inbox(roomB).leaveCodes.length > 0);
    assert.deepEqual(inbox(roomB).leaveCodes, [CLOSE_CODES.KICKED]);
    assert.equal(inbox(roomB).closing[0]?.reason, "kicked");
    const again = await errorOf(sdkClient(b.session.token).join("space", { code: roomA.state.code }));
    assert.equal(again.code, "KICKED");
    await sleep(300);
    assert.equal(roomC.state.players.has(b.session.playerId), false, "still out after the retry");
  });

  it("transfer host, ready, start, finish and play again walk the phases", async () => {
    const { a, b, c, roomA, roomB, roomC } = await threeInRoom({ minPlayers: 3 });
    const notReady = await errorOf(roomA.request("start"));
    assert.equal(notReady.code, "INVALID_PHASE");
    await roomB.request("ready", { ready: true });
    await roomC.request("ready", { ready: true });
    await roomA.request("transferHost", { playerId: c.session.playerId });
    await waitFor("C host", () => roomB.state.hostId === c.session.playerId);
    assert.equal(roomB.state.players.get(a.session.playerId)?.role, "player");
    await roomA.request("ready", { ready: true });
    await roomC.request("start");
    await waitFor("playing", () => roomB.state.phase === "playing");
    assert.equal((await errorOf(roomB.request("ready", { ready: false }))).code, "INVALID_PHASE");
    await roomC.request("finish");
    await waitFor("finished", () => roomA.state.phase === "finished");
    await roomC.request("reset");
    await waitFor("lobby again", () => roomA.state.phase === "lobby");
    assert.ok(
      [...roomA.state.players.values()].every((p) => !p.ready),
      "ready flags cleared for the next round",
    );
    assert.equal(roomA.state.players.get(b.session.playerId)?.role, "player");
  });

  it("spectators sit apart from players and count against their own limit", async () => {
    const host = await newPlayer("spec-host");
    const room = await createSpace(host, { maxPlayers: 1, maxSpectators: 1 });
    rooms.push(room);
    const watcher = await joinSpace(await newPlayer("watcher"), room.state.code, { spectator: true });
    rooms.push(watcher);
    await waitFor("spectator seated", () => room.state.players.size === 2);
    const spectator = [...room.state.players.values()].find((p) => p.role === "spectator");
    assert.equal(spectator?.name, "watcher");
    assert.equal((await errorOf(newPlayer("p2").then((p) => p.client.join("space", { code: room.state.code })))).code, "ROOM_FULL");
    assert.equal(
      (await errorOf(newPlayer("s2").then((p) => p.client.join("space", { code: room.state.code, spectator: true })))).code,
      "ROOM_FULL",
    );
    assert.equal((await errorOf(watcher.request("ready", { ready: true }))).code, "PERMISSION_DENIED");
  });
});
