/**
 * The door of a room through the real SDK: kicks that cover the device a player signs in from,
 * and locked rooms where newcomers knock and the host lets them in or turns them away.
 */
import assert from "node:assert/strict";
import { Client, Protocol, Room } from "@colyseus/sdk";
import { deviceIdSchema, type KnockSummary } from "@tavern/shared/protocol";
import {
  ENDPOINT,
  createSpace,
  errorOf,
  harness,
  httpJson,
  inbox,
  joinSpace,
  leaveQuietly,
  newPlayer,
  roomsLeftAfterEach,
  sleep,
  track,
  waitFor,
  type Player,
  type SpaceRoomClient,
} from "../support/harness";

/** A room that records the protocol code of every frame the server sends it. */
class RecordingRoom<T> extends Room<unknown, T> {
  readonly frames: number[] = [];
  protected override onMessageCallback(event: MessageEvent): void {
    this.frames.push(new Uint8Array(event.data as ArrayBuffer)[0] ?? -1);
    super.onMessageCallback(event);
  }
}

/**
 * An SDK client whose rooms record what they receive. A join that fails never hands its room
 * out, so the client keeps the last one it made: that is how a test sees what a refused
 * knocker was sent.
 */
class RecordingClient extends Client {
  last: RecordingRoom<unknown> | undefined;
  // Room's first type parameter is the server room class, unknown on this side.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK's own signature: the server room type has no client-side counterpart
  protected override createRoom<T>(roomName: string, rootSchema?: ConstructorParameters<typeof Room<unknown, T>>[1]): Room<any, T> {
    const room = new RecordingRoom<T>(roomName, rootSchema);
    this.last = room as RecordingRoom<unknown>;
    return room;
  }
}

function recordingPlayer(player: Player): RecordingClient {
  const client = new RecordingClient(ENDPOINT);
  client.auth.token = player.session.token;
  return client;
}

const DEVICE = "kitchen-laptop-0001";

describe("the door: kicks by device, locked rooms and knocks", function () {
  this.timeout(30_000);
  const rooms = roomsLeftAfterEach();

  async function lockedRoom(): Promise<{ host: Player; room: SpaceRoomClient }> {
    const host = await newPlayer("Doorkeeper");
    const room = await createSpace(host);
    rooms.push(room);
    assert.deepEqual(await room.request("lock", { locked: true }), { locked: true });
    await waitFor("locked in state", () => room.state.config.locked === true);
    return { host, room };
  }

  /** Starts a knock and resolves once the host sees it. */
  async function knockSeen(host: SpaceRoomClient, knocker: Player, name: string, client: Client = knocker.client) {
    const join = client.join("space", { code: host.state.code, knock: true });
    join.catch(() => undefined); // awaited by the test later; a refusal must not go unhandled meanwhile
    await waitFor(`${name}'s knock shown to the host`, () => lastKnocks(host).some((k) => k.name === name));
    const knock = lastKnocks(host).find((k) => k.name === name)!;
    return { join, knock };
  }

  function lastKnocks(room: SpaceRoomClient): KnockSummary[] {
    return inbox(room).knocks.at(-1)?.knocks ?? [];
  }

  describe("sign-in and the device id", () => {
    it("issues a device id when none is sent, keeps the one sent, and refuses a malformed one", async () => {
      const fresh = await httpJson("POST", "/api/auth/guest", { name: "Nomad" });
      assert.equal(fresh.status, 201);
      assert.ok(deviceIdSchema.safeParse(fresh.body.deviceId).success, `issued ${fresh.body.deviceId}`);
      const kept = await httpJson("POST", "/api/auth/guest", { name: "Homebody", deviceId: DEVICE });
      assert.equal(kept.body.deviceId, DEVICE);
      const again = await httpJson("POST", "/api/auth/guest", { name: "Homebody", deviceId: DEVICE });
      assert.notEqual(again.body.playerId, kept.body.playerId, "a new guest, on the same device");
      assert.equal(again.body.deviceId, DEVICE);
      for (const deviceId of ["short", "x".repeat(65), "has spaces in it!!", 42]) {
        const bad = await httpJson("POST", "/api/auth/guest", { name: "Forger", deviceId });
        assert.equal(bad.status, 400, JSON.stringify(deviceId));
        assert.equal(bad.body.code, "VALIDATION_ERROR");
      }
    });
  });

  describe("kicks", () => {
    it("a kicked player who signs in again with the same name and device is refused (KICKED); from a new device they get in", async () => {
      const host = await newPlayer("Bouncer");
      const room = await createSpace(host);
      rooms.push(room);
      const pest = await newPlayer("Pest", DEVICE);
      const pestRoom = await joinSpace(pest, room.state.code);
      await room.request("kick", { playerId: pest.session.playerId });
      await waitFor("pest removed", () => !room.state.players.has(pest.session.playerId));
      await waitFor("pest closed", () => !pestRoom.connection.isOpen);

      const reborn = await newPlayer("Pest", DEVICE);
      assert.notEqual(reborn.session.playerId, pest.session.playerId);
      const refused = await errorOf(reborn.client.join("space", { code: room.state.code }));
      assert.equal(refused.code, "KICKED");
      assert.equal(room.state.players.has(reborn.session.playerId), false);

      // Clearing the browser's storage makes a new device: a kick cannot follow that (see lock).
      const elsewhere = await newPlayer("Pest");
      const back = await joinSpace(elsewhere, room.state.code);
      rooms.push(back);
      assert.ok(back.state.players.has(elsewhere.session.playerId));
    });
  });

  describe("locked rooms", () => {
    it("only the host locks and answers; a newcomer without knock is told to knock; a seated player's reload is never held", async () => {
      const { room } = await lockedRoom();
      const guest = await newPlayer("Guest");
      const seatedBefore = await newPlayer("Regular");
      // Seat Regular before the lock matters: unlock, join, lock again.
      await room.request("lock", { locked: false });
      const regular = await joinSpace(seatedBefore, room.state.code);
      rooms.push(regular);
      await room.request("lock", { locked: true });
      await waitFor("everyone sees the lock", () => regular.state.config.locked === true);

      assert.equal((await errorOf(regular.request("lock", { locked: false }))).code, "PERMISSION_DENIED");
      assert.equal((await errorOf(regular.request("answerKnock", { knockId: "x", admit: true }))).code, "PERMISSION_DENIED");
      assert.equal((await errorOf(room.request("answerKnock", { knockId: "nobody-knocks", admit: true }))).code, "NOT_FOUND");
      assert.equal((await errorOf(room.request("lock", { locked: "yes" }))).code, "VALIDATION_ERROR");

      const told = await errorOf(guest.client.join("space", { code: room.state.code }));
      assert.equal(told.code, "KNOCK_REQUIRED");
      assert.equal(room.state.players.has(guest.session.playerId), false);

      // A reload: the same token joins again and takes back its seat at once.
      const started = Date.now();
      const reloaded = await joinSpace(seatedBefore, room.state.code);
      rooms.push(reloaded);
      assert.ok(Date.now() - started < 2000, "not held at the door");
      assert.equal(reloaded.state.players.get(seatedBefore.session.playerId)?.connected, true);
      assert.deepEqual(lastKnocks(room), [], "a reload is no knock");
    });

    it("knock, approve: the knocker joins and sees the room; the host saw only a name", async () => {
      const { room } = await lockedRoom();
      const knocker = await newPlayer("Visitor");
      const { join, knock } = await knockSeen(room, knocker, "Visitor");
      assert.deepEqual(Object.keys(knock).sort(), ["at", "id", "name", "spectator"]);
      assert.notEqual(knock.id, knocker.session.playerId);
      assert.equal(knock.spectator, false);
      assert.equal(room.state.players.has(knocker.session.playerId), false, "no seat while knocking");

      await room.request("answerKnock", { knockId: knock.id, admit: true });
      const inside = track((await join) as SpaceRoomClient);
      rooms.push(inside);
      await waitFor("knocker sees the room", () => inside.state.players?.size === 2);
      assert.equal(inside.state.players.get(knocker.session.playerId)?.role, "player");
      await waitFor("host sees the newcomer", () => room.state.players.has(knocker.session.playerId));
      await waitFor("knock list emptied", () => lastKnocks(room).length === 0);
      // Seated now, so a reload is not held either.
      const reloaded = await joinSpace(knocker, room.state.code);
      rooms.push(reloaded);
    });

    it("knock, deny: a typed error, and not one byte of room state reached the knocker", async () => {
      const { room } = await lockedRoom();
      const knocker = await newPlayer("Snoop");
      const recording = recordingPlayer(knocker);
      const { join, knock } = await knockSeen(room, knocker, "Snoop", recording);
      const held = recording.last;
      assert.ok(held, "the knocker's room object");
      assert.deepEqual(held.frames, [], "nothing at all while waiting");
      await room.request("answerKnock", { knockId: knock.id, admit: false });
      const denied = await errorOf(join);
      assert.equal(denied.code, "KNOCK_DENIED");
      assert.deepEqual(held.frames, [Protocol.ERROR], "only the refusal: no handshake, no state, no patch, no message");
      assert.equal(room.state.players.has(knocker.session.playerId), false);
      await waitFor("knock list emptied", () => lastKnocks(room).length === 0);
    });

    it("a knock nobody answers ends with KNOCK_UNANSWERED after the timeout, and leaves no trace", async () => {
      const { room } = await lockedRoom();
      const knocker = await newPlayer("Patient");
      const started = Date.now();
      const { join } = await knockSeen(room, knocker, "Patient");
      const timedOut = await errorOf(join);
      assert.equal(timedOut.code, "KNOCK_UNANSWERED");
      assert.match(timedOut.message, /did not answer within 3 seconds/);
      assert.ok(Date.now() - started >= 2900, "waited for the 3 s timeout of the test server");
      await waitFor("knock list emptied", () => lastKnocks(room).length === 0);
      assert.equal(room.state.players.size, 1);
    });

    it("a knocker who gives up (closes the connection) leaves no trace", async () => {
      const { room } = await lockedRoom();
      const knocker = await newPlayer("Shy");
      const recording = recordingPlayer(knocker);
      const { join } = await knockSeen(room, knocker, "Shy", recording);
      recording.last?.connection.close();
      await waitFor("knock withdrawn", () => lastKnocks(room).length === 0);
      await errorOf(join);
      const { colyseus } = await harness();
      const serverRoom = colyseus.getRoomById(room.roomId);
      await waitFor("no connection left behind", () => serverRoom.clients.length === 1);
      assert.equal(room.state.players.size, 1);
    });

    it("unlocking lets everyone waiting in", async () => {
      const { room } = await lockedRoom();
      const knocker = await newPlayer("Early");
      const { join } = await knockSeen(room, knocker, "Early");
      await room.request("lock", { locked: false });
      const inside = track((await join) as SpaceRoomClient);
      rooms.push(inside);
      await waitFor("seated", () => room.state.players.has(knocker.session.playerId));
    });

    it("host migration with knocks pending: the new host is shown them and answers", async () => {
      const { room } = await lockedRoom();
      const deputy = await newPlayer("Deputy");
      await room.request("lock", { locked: false });
      const deputyRoom = await joinSpace(deputy, room.state.code);
      rooms.push(deputyRoom);
      await room.request("lock", { locked: true });
      const knocker = await newPlayer("Latecomer");
      const { join } = await knockSeen(room, knocker, "Latecomer");
      assert.deepEqual(inbox(deputyRoom).knocks, [], "only the host is shown knocks");

      await leaveQuietly(room);
      await waitFor("deputy is host", () => deputyRoom.state.hostId === deputy.session.playerId);
      await waitFor("deputy shown the knock", () => lastKnocks(deputyRoom).some((k) => k.name === "Latecomer"));
      const knock = lastKnocks(deputyRoom).find((k) => k.name === "Latecomer")!;
      await deputyRoom.request("answerKnock", { knockId: knock.id, admit: true });
      const inside = track((await join) as SpaceRoomClient);
      rooms.push(inside);
      await waitFor("seated", () => deputyRoom.state.players.has(knocker.session.playerId));
    });

    it("with nobody left in the host's seat, pending knocks end at once instead of waiting", async () => {
      const { room } = await lockedRoom();
      const spectator = await newPlayer("Watcher");
      await room.request("lock", { locked: false });
      const watcher = await joinSpace(spectator, room.state.code, { spectator: true });
      rooms.push(watcher);
      await room.request("lock", { locked: true });
      const knocker = await newPlayer("Stranded");
      const { join } = await knockSeen(room, knocker, "Stranded");
      const left = Date.now();
      await leaveQuietly(room); // spectators never host: the room has no host now
      const ended = await errorOf(join);
      assert.equal(ended.code, "KNOCK_UNANSWERED");
      assert.ok(Date.now() - left < 2500, "ended without waiting out the timeout");
      const again = await errorOf(knocker.client.join("space", { code: watcher.state.code, knock: true }));
      assert.equal(again.code, "KNOCK_UNANSWERED", "nobody to ask");
    });

    it("a kicked device is refused at a locked door too, without bothering the host", async () => {
      const { room } = await lockedRoom();
      await room.request("lock", { locked: false });
      const pest = await newPlayer("Pest", "pest-device-000001");
      await joinSpace(pest, room.state.code);
      await room.request("kick", { playerId: pest.session.playerId });
      await room.request("lock", { locked: true });
      const reborn = await newPlayer("Pest", "pest-device-000001");
      const refused = await errorOf(reborn.client.join("space", { code: room.state.code, knock: true }));
      assert.equal(refused.code, "KICKED");
      await sleep(100);
      assert.deepEqual(lastKnocks(room), []);
    });

    it("a private locked room answers a stranger without its code NOT_FOUND, as if there were none: the lock does not give it away", async () => {
      const host = await newPlayer("Hermit");
      const room = await createSpace(host, { private: true, locked: true });
      rooms.push(room);
      const stranger = await newPlayer("Prowler");
      const byId = await errorOf(stranger.client.joinById(room.roomId, { knock: true }));
      assert.equal(byId.code, "NOT_FOUND");
      assert.deepEqual(lastKnocks(room), [], "the host is not bothered");
      assert.equal(
        (await errorOf(stranger.client.join("space", { code: room.state.code }))).code,
        "KNOCK_REQUIRED",
        "with the code, the door speaks",
      );
    });

    it("a room created locked seats its creator as host; the next newcomer knocks", async () => {
      const host = await newPlayer("Founder");
      const room = await createSpace(host, { locked: true });
      rooms.push(room);
      assert.equal(room.state.hostId, host.session.playerId);
      assert.equal(room.state.config.locked, true);
      const next = await newPlayer("Second");
      assert.equal((await errorOf(next.client.join("space", { code: room.state.code }))).code, "KNOCK_REQUIRED");
    });
  });
});
