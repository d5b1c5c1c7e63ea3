import assert from "node:assert/strict";
import { isRoomCode } from "@tavern/shared/roomCodes";
import type { RoomSummary } from "@tavern/shared/protocol";
import {
  roomsLeftAfterEach,
  createSpace,
  errorOf,
  httpJson,
  joinSpace,
  newPlayer,
  sdkClient,
  track,
  waitFor,
  type SpaceRoomClient,
} from "../support/harness";

describe("room codes, lookup and listing", function () {
  this.timeout(30_000);
  const rooms = roomsLeftAfterEach();

  it("a created room has a 6-character code and can be joined by it over the SDK, in any case and with a dash", async () => {
    const host = await newPlayer("code-host");
    const room = await createSpace(host);
    rooms.push(room);
    const code = room.state.code;
    assert.ok(isRoomCode(code), `code ${code} uses the unambiguous alphabet`);

    const guest = await newPlayer("code-guest");
    const typed = `${code.slice(0, 3).toLowerCase()}-${code.slice(3).toLowerCase()}`;
    const joined = await joinSpace(guest, typed);
    rooms.push(joined);
    assert.equal(joined.roomId, room.roomId);
    await waitFor("guest sees both", () => joined.state.players.size === 2);
  });

  it("GET /api/rooms/:code describes the room; POST /api/rooms creates one that joins by code", async () => {
    const creator = await newPlayer("http-creator");
    const created = await httpJson(
      "POST",
      "/api/rooms",
      { type: "space", config: { maxPlayers: 5 } },
      { authorization: `Bearer ${creator.session.token}` },
    );
    assert.equal(created.status, 201);
    assert.ok(isRoomCode(created.body.code));
    assert.equal(typeof created.body.roomId, "string");

    const room = await joinSpace(creator, created.body.code);
    rooms.push(room);
    assert.equal(room.roomId, created.body.roomId);
    await waitFor("creator is host", () => room.state.hostId === creator.session.playerId);

    // The listing is updated at most every 100 ms: poll until it counts the creator.
    let lookup = await httpJson("GET", `/api/rooms/${created.body.code.toLowerCase()}`);
    for (let i = 0; i < 50 && lookup.body.players !== 1; i++) {
      await new Promise((r) => setTimeout(r, 20));
      lookup = await httpJson("GET", `/api/rooms/${created.body.code.toLowerCase()}`);
    }
    assert.equal(lookup.status, 200);
    const summary = lookup.body as RoomSummary;
    assert.equal(summary.roomId, created.body.roomId);
    assert.equal(summary.type, "space");
    assert.equal(summary.code, created.body.code);
    assert.equal(summary.phase, "lobby");
    assert.equal(summary.players, 1);
    assert.equal(summary.maxPlayers, 5);
    assert.equal(summary.hostName, "http-creator");
  });

  it("POST /api/rooms refuses a missing token, an unknown type and a bad config with typed errors", async () => {
    const p = await newPlayer("http-bad");
    const auth = { authorization: `Bearer ${p.session.token}` };
    const noToken = await httpJson("POST", "/api/rooms", { type: "space" });
    assert.equal(noToken.status, 401);
    assert.equal(noToken.body.code, "UNAUTHORIZED");
    const unknownType = await httpJson("POST", "/api/rooms", { type: "chess" }, auth);
    assert.equal(unknownType.status, 400);
    assert.equal(unknownType.body.code, "VALIDATION_ERROR");
    const badConfig = await httpJson("POST", "/api/rooms", { type: "space", config: { maxPlayers: 2, minPlayers: 3 } }, auth);
    assert.equal(badConfig.status, 400);
    assert.equal(badConfig.body.code, "VALIDATION_ERROR");
    const notJson = await httpJson("POST", "/api/rooms", "{not json", auth);
    assert.equal(notJson.status, 400);
    assert.equal(notJson.body.code, "VALIDATION_ERROR");
  });

  it("an unknown code is NOT_FOUND over the SDK and over HTTP", async () => {
    const p = await newPlayer("lost");
    const sdk = await errorOf(p.client.join("space", { code: "QQQQQQ" }));
    assert.equal(sdk.code, "NOT_FOUND");
    assert.match(sdk.message, /QQQQQQ/);
    const notACode = await errorOf(p.client.join("space", { code: "hello!" }));
    assert.equal(notACode.code, "NOT_FOUND");
    const http = await httpJson("GET", "/api/rooms/QQQQQQ");
    assert.equal(http.status, 404);
    assert.equal(http.body.code, "NOT_FOUND");
    assert.equal(typeof http.body.message, "string");
  });

  it("joining a code with the wrong room type is NOT_FOUND and names the real type", async () => {
    const host = await newPlayer("probe-host");
    const probe = await createSpace(host, {}, "probe");
    rooms.push(probe);
    const guest = await newPlayer("wrong-type");
    const err = await errorOf(guest.client.join("space", { code: probe.state.code }));
    assert.equal(err.code, "NOT_FOUND");
    assert.match(err.message, /probe room/);
  });

  it("private rooms are joinable by code but absent from the HTTP list and the lobby's live listing", async () => {
    const watcher = await newPlayer("lobby-watcher");
    const lobby = await watcher.client.joinOrCreate("lobby");
    rooms.push(lobby);
    const listed = new Map<string, unknown>();
    lobby.onMessage("rooms", (all: { roomId: string }[]) => all.forEach((r) => listed.set(r.roomId, r)));
    lobby.onMessage("+", ([roomId, data]: [string, unknown]) => listed.set(roomId, data));
    lobby.onMessage("-", (roomId: string) => listed.delete(roomId));

    const host = await newPlayer("private-host");
    const secret = await createSpace(host, { private: true });
    const open = await createSpace(await newPlayer("public-host"));
    rooms.push(secret, open);

    await waitFor("public room in the lobby listing", () => listed.has(open.roomId));
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(listed.has(secret.roomId), false, "private room never reaches the lobby listing");

    const list = await httpJson("GET", "/api/rooms");
    const ids = (list.body.rooms as RoomSummary[]).map((r) => r.roomId);
    assert.ok(ids.includes(open.roomId));
    assert.ok(!ids.includes(secret.roomId));

    const guest = await newPlayer("private-guest");
    const joined = await joinSpace(guest, secret.state.code);
    rooms.push(joined);
    assert.equal(joined.roomId, secret.roomId);

    // Turning a public room private removes it from the live listing.
    await open.request("config", { private: true });
    await waitFor("room removed from the lobby listing", () => !listed.has(open.roomId));
  });

  it("restoreCode re-creates a room under a free code and refuses a code in use", async () => {
    const first = await newPlayer("restorer");
    const held = await createSpace(first);
    rooms.push(held);
    const taken = await errorOf(first.client.create("space", { restoreCode: held.state.code }));
    assert.equal(taken.code, "VALIDATION_ERROR");
    assert.match(taken.message, /already in use/);

    // A code becomes free once its room closed; only someone who was in that room may bring it back.
    const free = held.state.code;
    const stranger = await newPlayer("code-squatter");
    await held.leave(true);
    await waitFor("code released", async () => (await httpJson("GET", `/api/rooms/${free}`)).status === 404);
    const squat = await errorOf(stranger.client.create("space", { restoreCode: free }));
    assert.equal(squat.code, "PERMISSION_DENIED", "a player who never sat in the room cannot take its code");
    const restored = track((await first.client.create("space", { restoreCode: free.toLowerCase() })) as SpaceRoomClient);
    rooms.push(restored);
    await waitFor("restored code", () => restored.state?.code === free);
    const guest = await joinSpace(await newPlayer("returner"), free);
    rooms.push(guest);
    assert.equal(guest.roomId, restored.roomId);
    assert.equal((await errorOf(first.client.create("space", { restoreCode: "nope" }))).code, "VALIDATION_ERROR");
  });

  it("refuses a join without a token, with a forged token and with an expired token", async () => {
    const host = await newPlayer("auth-host");
    const room = await createSpace(host);
    rooms.push(room);
    const code = room.state.code;

    const missing = await errorOf(sdkClient().join("space", { code }));
    assert.equal(missing.code, "UNAUTHORIZED");

    const [header, payload] = host.session.token.split(".");
    const forged = await errorOf(sdkClient(`${header}.${payload}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`).join("space", { code }));
    assert.equal(forged.code, "UNAUTHORIZED");

    const { GuestTokens } = await import("../../src/auth/guestTokens");
    const expiredIssuer = new GuestTokens("test-secret-test-secret-test-secret-0123", -1);
    const expired = await expiredIssuer.issue("late");
    const expiredErr = await errorOf(sdkClient(expired.token).join("space", { code }));
    assert.equal(expiredErr.code, "UNAUTHORIZED");
    assert.match(expiredErr.message, /expired/);
  });
});
