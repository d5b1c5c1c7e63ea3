/**
 * Attacks from outside, through the real SDK, raw frames and plain HTTP: each test here failed
 * against the server before the fix it names.
 */
import assert from "node:assert/strict";
import type { Room } from "@colyseus/sdk";
import type { TableState } from "@tavern/shared/table/state";
import {
  metricSum,
  ADMIN,
  ENDPOINT,
  TRUSTED_ORIGIN,
  createSpace,
  errorOf,
  harness,
  httpJson,
  inbox,
  joinSpace,
  newPlayer,
  roomsLeftAfterEach,
  sdkClient,
  sleep,
  track,
  waitFor,
  type Player,
  type SpaceRoomClient,
} from "../support/harness";
import { GARBAGE, captureRawReplies, dataFrame, requestFrame, sendRaw } from "../support/rawFrames";

type TableClient = Room<unknown, TableState>;

async function joinLobby(player: Player): Promise<Room> {
  const lobby = await player.client.joinOrCreate("lobby");
  lobby.onMessage("rooms", () => undefined);
  lobby.onMessage("+", () => undefined);
  lobby.onMessage("-", () => undefined);
  return lobby;
}

function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

async function healthy(): Promise<void> {
  const health = await httpJson("GET", "/healthz");
  assert.equal(health.body.status, "ok", "the process is alive and serving HTTP");
}

describe("security: one message never stops the server", function () {
  this.timeout(30_000);
  const rooms = roomsLeftAfterEach();

  it("a message type of any length, in any room (the lobby too), gets UNKNOWN_REQUEST and the connection lives", async () => {
    const player = await newPlayer("long-typer");
    const lobby = await joinLobby(player);
    const space = await createSpace(player);
    const table = track((await player.client.create("table", {})) as unknown as SpaceRoomClient);
    rooms.push(lobby, space, table);
    const lobbyErrors: { code: string; message: string }[] = [];
    lobby.onMessage("error", (e: { code: string; message: string }) => lobbyErrors.push(e));
    for (const length of [87, 200]) {
      const type = "x".repeat(length);
      lobby.send(type, {});
      space.send(type, {});
      table.send(type, {});
    }
    // The SDK pads a long type's frame with stray bytes; a hand-built frame is exact.
    for (const room of [lobby, space, table]) sendRaw(room, dataFrame("z".repeat(1000), { value: {} }));
    await waitFor(
      "three UNKNOWN_REQUEST answers per room",
      () => lobbyErrors.length === 3 && inbox(space).error.length === 3 && inbox(table).error.length === 3,
    );
    for (const body of [...lobbyErrors, ...inbox(space).error, ...inbox(table).error]) {
      assert.equal(body.code, "UNKNOWN_REQUEST", body.message);
      assert.ok(body.message.length < 120, "the type is not echoed whole");
    }
    const unknownRequest = await errorOf(space.request("y".repeat(300)));
    assert.equal(unknownRequest.code, "UNKNOWN_REQUEST");
    assert.equal((await errorOf(space.request("*"))).code, "UNKNOWN_REQUEST", "a request of type * is not answered OK");
    assert.ok(lobby.connection.isOpen && space.connection.isOpen && table.connection.isOpen);
    await space.request("ping");
    await healthy();
  });

  it("malformed msgpack is answered VALIDATION_ERROR, counted, and a client that keeps sending it is closed", async () => {
    const player = await newPlayer("garbage-sender");
    const room = await createSpace(player);
    const watcher = await joinSpace(await newPlayer("garbage-watcher"), room.state.code);
    rooms.push(room, watcher);
    const raw = captureRawReplies(room);
    const before = await metricSum("tavern_malformed_frames_total", 'room_type="space"');

    sendRaw(room, requestFrame(60_001, "ping", GARBAGE));
    await waitFor("a reply to the garbage request", () => raw.replies.has(60_001));
    const reply = raw.replies.get(60_001)!;
    assert.equal(reply.status, 1, "rejected, not a raw ERROR");
    assert.equal((reply.payload as { code: string }).code, "VALIDATION_ERROR");

    sendRaw(room, dataFrame("move", GARBAGE));
    await waitFor("an error message for the garbage message", () => inbox(room).error.some((e) => e.code === "VALIDATION_ERROR"));
    assert.equal(room.connection.isOpen, true, "two bad frames do not close the connection");

    for (let i = 0; i < 10; i++) sendRaw(room, dataFrame("move", GARBAGE));
    await waitFor("the garbage sender is closed", () => inbox(room).leaveCodes.length > 0);
    assert.equal(inbox(room).leaveCodes[0], 4002);
    assert.ok((await metricSum("tavern_malformed_frames_total", 'room_type="space"')) - before >= 7);
    assert.equal(watcher.connection.isOpen, true, "only the sender pays");
    await watcher.request("ping");
  });

  it("hostile payloads are VALIDATION_ERROR, and the next valid request still works", async () => {
    const gm = await newPlayer("hostile-gm");
    const table = (await gm.client.create("table", {})) as unknown as TableClient;
    track(table as unknown as SpaceRoomClient);
    rooms.push(table);
    await waitFor("table state", () => table.state.publicVersion !== undefined && table.state.code !== "");
    const cases: Array<[string, unknown, RegExp]> = [
      ["chat", { text: "a\u0000b" }, /NUL/],
      ["update", { baseVersion: 0, ops: [{ op: "set", path: "title", value: "nul\u0000title" }] }, /NUL/],
      ["update", { baseVersion: 0, ops: [{ op: "set", path: "actors.a\u0000b", value: {} }] }, /NUL/],
      ["action", { name: "toString", target: { kind: "actor", id: "a1" } }, /no action "toString"/],
      ["action", { name: "constructor", target: { kind: "actor", id: "a1" } }, /no action "constructor"/],
      ["action", { name: "__proto__", target: { kind: "actor", id: "a1" } }, /no action "__proto__"/],
      ["update", { baseVersion: 0, ops: [{ op: "set", path: "title", value: nested(40) }] }, /nested deeper/],
    ];
    for (const [type, payload, why] of cases) {
      const body = await errorOf(table.request(type, payload)).catch((err: Error) =>
        assert.fail(`${type} ${JSON.stringify(payload).slice(0, 80)}: ${err.message}`),
      );
      assert.equal(body.code, "VALIDATION_ERROR", `${type} ${JSON.stringify(payload).slice(0, 60)} → ${body.code} ${body.message}`);
      assert.match(body.message, why);
    }
    // Deeper than the SDK's own encoder can go: hand-built msgpack, 1,500 arrays in one another.
    const raw = captureRawReplies(table);
    sendRaw(table, requestFrame(60_010, "chat", { bytes: [...Array(1500).fill(0x91), 0x01] }));
    await waitFor("a reply to the 1,500-deep payload", () => raw.replies.has(60_010));
    assert.equal(raw.replies.get(60_010)!.status, 1);
    assert.match((raw.replies.get(60_010)!.payload as { message: string }).message, /nested deeper/);
    const reply = (await table.request("update", { baseVersion: 0, ops: [{ op: "set", path: "title", value: "Still fine" }] })) as {
      version: number;
    };
    assert.equal(reply.version, 1, "nothing bad was stored, the next write is accepted");
    const badName = await httpJson("POST", "/api/auth/guest", { name: "X\ud800Y" });
    assert.equal(badName.status, 400);
    assert.equal(badName.body.code, "VALIDATION_ERROR");
  });
});

describe("security: the lobby", function () {
  this.timeout(30_000);
  const rooms = roomsLeftAfterEach();

  it("needs a guest token", async () => {
    const refused = await errorOf(sdkClient().joinOrCreate("lobby"));
    assert.equal(refused.code, "UNAUTHORIZED");
  });

  it("answers a burst of filters with a few bounded listings, and cuts off a flood", async () => {
    const player = await newPlayer("filter-flooder");
    const lobby = await player.client.joinOrCreate("lobby");
    rooms.push(lobby);
    let listings = 0;
    lobby.onMessage("rooms", () => listings++);
    lobby.onMessage("+", () => undefined);
    lobby.onMessage("-", () => undefined);
    await waitFor("first listing", () => listings === 1);
    for (let i = 0; i < 100; i++) lobby.send("filter", { name: "space" });
    await sleep(600);
    assert.ok(listings <= 3, `100 filters in a burst answered ${listings - 1} times (debounced)`);
    assert.equal(lobby.connection.isOpen, true);

    let closed: number | undefined;
    lobby.onLeave((code) => (closed = code));
    for (let i = 0; i < 400; i++) lobby.send("filter", { name: "space" });
    await waitFor("the flooder is cut off", () => closed !== undefined);
    assert.equal(closed, 4002);
    await healthy();
  });
});

describe("security: no one gets in where they don't belong", function () {
  this.timeout(40_000);
  const rooms = roomsLeftAfterEach();
  let neverJoinedCode = "";

  before(async () => {
    // Created now, checked last: a room nobody ever joins must go away by itself.
    const owner = await newPlayer("absent-owner");
    const created = await httpJson("POST", "/api/rooms", { type: "table" }, { authorization: `Bearer ${owner.session.token}` });
    assert.equal(created.status, 201);
    neverJoinedCode = created.body.code;
  });

  it("a private room is reachable by its code only: not by a join without code, nor by its room id", async () => {
    const host = await newPlayer("private-owner");
    const secret = await createSpace(host, { private: true });
    rooms.push(secret);
    const stranger = await newPlayer("private-stranger");
    const noCode = await errorOf(stranger.client.join("space", {}));
    assert.equal(noCode.code, "NOT_FOUND");
    const byId = await errorOf(stranger.client.joinById(secret.roomId, {}));
    assert.equal(byId.code, "NOT_FOUND");
    await waitFor("no stranger seated", () => secret.state.players.size === 1);
    const invited = await joinSpace(stranger, secret.state.code);
    rooms.push(invited);
    assert.equal(invited.roomId, secret.roomId, "the code still opens the door");
  });

  it("a table created over HTTP has its creator as GM, whoever connects first, and is not the stranger's session", async () => {
    const owner = await newPlayer("http-owner");
    const auth = { authorization: `Bearer ${owner.session.token}` };
    const created = await httpJson("POST", "/api/rooms", { type: "table" }, auth);
    assert.equal(created.status, 201);
    const stranger = await newPlayer("http-stranger");
    const early = (await stranger.client.join("table", { code: created.body.code })) as unknown as TableClient;
    track(early as unknown as SpaceRoomClient);
    rooms.push(early);
    await waitFor("stranger's seat", () => early.state?.players?.get(stranger.session.playerId) !== undefined);
    assert.equal(early.state.hostId, owner.session.playerId);
    assert.equal(early.state.players.get(stranger.session.playerId)!.role, "player");
    assert.equal(
      (await errorOf(early.request("update", { baseVersion: 0, ops: [{ op: "set", path: "title", value: "mine" }] }))).code,
      "PERMISSION_DENIED",
    );
    const theirs = await httpJson("GET", "/api/sessions", undefined, { authorization: `Bearer ${stranger.session.token}` });
    assert.deepEqual(theirs.body.sessions, []);

    const gmRoom = (await owner.client.join("table", { code: created.body.code })) as unknown as TableClient;
    track(gmRoom as unknown as SpaceRoomClient);
    rooms.push(gmRoom);
    await waitFor("GM seated", () => gmRoom.state?.players?.get(owner.session.playerId)?.role === "host");
    await waitFor("session stored for its GM", async () => {
      const mine = await httpJson("GET", "/api/sessions", undefined, auth);
      return mine.body.sessions.length === 1;
    });
  });

  it("every create path shares one budget per player, and a table nobody joined leaves no stored session", async () => {
    const creator = await newPlayer("room-factory");
    const auth = { authorization: `Bearer ${creator.session.token}` };
    const outcomes: number[] = [];
    for (let i = 0; i < 10; i++) outcomes.push((await httpJson("POST", "/api/rooms", { type: "space" }, auth)).status);
    for (let i = 0; i < 15; i++) {
      const res = await fetch(`${ENDPOINT}/matchmake/create/table`, {
        method: "POST",
        headers: { "content-type": "application/json", ...auth },
        body: "{}",
      });
      outcomes.push(res.status);
    }
    assert.deepEqual(outcomes.slice(0, 10), Array(10).fill(201), "POST /api/rooms creates");
    assert.deepEqual(outcomes.slice(10, 20), Array(10).fill(200), "the matchmaker creates from the same budget");
    assert.ok(
      outcomes.slice(20).every((s) => s === 429),
      `creations past the budget are RATE_LIMITED: ${outcomes.slice(20)}`,
    );
    const sessions = await httpJson("GET", "/api/sessions", undefined, auth);
    assert.deepEqual(sessions.body.sessions, [], "tables whose GM never came stored nothing");
  });

  it("restoreCode never takes a stored session's code", async () => {
    const gm = await newPlayer("code-owner-gm");
    const table = (await gm.client.create("table", {})) as unknown as TableClient;
    track(table as unknown as SpaceRoomClient);
    await waitFor("table code", () => Boolean(table.state?.code));
    const code = table.state.code;
    const player = await newPlayer("former-player");
    const seat = (await player.client.join("table", { code })) as unknown as TableClient;
    await waitFor(
      "session stored",
      async () =>
        (await httpJson("GET", "/api/sessions", undefined, { authorization: `Bearer ${gm.session.token}` })).body.sessions.length === 1,
    );
    await seat.leave(true);
    await table.leave(true);
    await waitFor("table closed", async () => (await httpJson("GET", `/api/rooms/${code}`)).body.open === false);
    const squat = await errorOf(player.client.create("table", { restoreCode: code }));
    assert.equal(squat.code, "PERMISSION_DENIED");
    const back = (await gm.client.join("table", { code })) as unknown as TableClient;
    track(back as unknown as SpaceRoomClient);
    rooms.push(back);
    await waitFor("GM back in the reopened session", () => back.state?.players?.get(gm.session.playerId)?.role === "host");
  });

  it("CORS: admin routes grant nothing to anyone; other routes grant only listed origins, never with credentials", async () => {
    const admin = `Basic ${Buffer.from(`${ADMIN.user}:${ADMIN.password}`).toString("base64")}`;
    for (const origin of ["https://evil.example", TRUSTED_ORIGIN]) {
      for (const path of ["/admin/rooms", "/metrics", "/colyseus/api", "/api/rooms", "/healthz"]) {
        const res = await fetch(`${ENDPOINT}${path}`, { headers: { origin, authorization: admin } });
        const grant = res.headers.get("access-control-allow-origin");
        const isAdmin = !path.startsWith("/api") && path !== "/healthz";
        const expected = origin === TRUSTED_ORIGIN && !isAdmin ? TRUSTED_ORIGIN : null;
        assert.equal(grant, expected, `${origin} ${path}`);
        assert.equal(res.headers.get("access-control-allow-credentials"), null, `${origin} ${path} never grants credentials`);
      }
      const preflight = await fetch(`${ENDPOINT}/matchmake/create/space`, {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "POST" },
      });
      assert.equal(preflight.headers.get("access-control-allow-origin"), origin === TRUSTED_ORIGIN ? TRUSTED_ORIGIN : null);
      assert.equal(preflight.headers.get("access-control-allow-credentials"), null);
    }
  });

  it("a room nobody ever joined expires and frees its code", async () => {
    await harness();
    await waitFor(
      "the never-joined room is gone",
      async () => (await httpJson("GET", `/api/rooms/${neverJoinedCode}`)).status === 404,
      25_000,
    );
  });
});
