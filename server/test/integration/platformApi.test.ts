/**
 * The platform API through real HTTP against the booted server, with SDK clients in the room whose
 * decoded state is checked at each step: keys and their scopes, a launch, players to the game, a
 * bulk update, a drop and a return, the game's end with its result, idempotent retries, rotation,
 * revocation, rate limits and bad input.
 */
import assert from "node:assert/strict";
import {
  ADMIN,
  ENDPOINT,
  dropConnection,
  httpJson,
  metricSum,
  roomsLeftAfterEach,
  waitFor,
  type SpaceRoomClient,
} from "../support/harness";
import { ADMIN_HEADERS, ALL_SCOPES, issueKey, roomOfTwo } from "../support/platform";

const game = (key: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  httpJson(method, `/api/v1/games${path}`, body, { authorization: `Bearer ${key}`, ...headers });

const locationOf = (room: SpaceRoomClient, playerId: string) => room.state.players.get(playerId)?.location;

describe("platform API: external games report their players", function () {
  this.timeout(30_000);
  const rooms = roomsLeftAfterEach();

  it("runs the whole flow: launch, players to the game, bulk, drop and return, end with result, all back to the lobby", async () => {
    const { key } = await issueKey(ALL_SCOPES);
    const { code, hostRoom, guestRoom, hostId, guestId } = await roomOfTwo(rooms);

    const read = await game(key, "GET", `/rooms/${code}/players`);
    assert.equal(read.status, 200);
    assert.deepEqual(
      read.body.players.map((p: { location: string }) => p.location),
      ["lobby", "lobby"],
    );
    const v0 = read.body.version as number;

    const started = await game(key, "POST", `/rooms/${code}/game/started?waitForBroadcast=true`, {
      gameId: "dash-1",
      url: "https://dash.example/play",
    });
    assert.equal(started.status, 200, JSON.stringify(started.body));
    assert.equal(started.body.version, v0 + 1);
    assert.equal(started.body.broadcast, true, "the reply waited for the patch");
    assert.equal(typeof started.body.updateId, "string");
    // The reply came after the patch was sent: a client holds it at once or within a frame.
    await waitFor("clients see the current game", () => guestRoom.state.currentGame?.gameId === "dash-1");
    assert.equal(hostRoom.state.currentGame?.url, "https://dash.example/play");

    const one = await game(key, "PUT", `/rooms/${code}/players/${hostId}`, { location: "game", status: "choosing a hero" });
    assert.equal(one.status, 200, JSON.stringify(one.body));
    await waitFor("guest sees the host in the game", () => locationOf(guestRoom, hostId) === "game");
    assert.equal(guestRoom.state.players.get(hostId)?.status, "choosing a hero");

    // A bulk write is all or none: one unknown player refuses the whole of it.
    const bad = await game(key, "POST", `/rooms/${code}/players`, {
      players: [
        { playerId: guestId, location: "game" },
        { playerId: "nobody-here", location: "game" },
      ],
    });
    assert.equal(bad.status, 404);
    assert.equal(bad.body.code, "NOT_FOUND");
    assert.equal(bad.body.retryable, false);
    const stale = await game(key, "POST", `/rooms/${code}/players`, {
      players: [{ playerId: guestId, location: "game" }],
      expectedVersion: v0,
    });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.code, "VERSION_CONFLICT");
    assert.equal(stale.body.details.currentVersion, one.body.version);
    assert.equal(locationOf(hostRoom, guestId), "lobby", "refused writes changed nothing");

    const bulk = await game(key, "POST", `/rooms/${code}/players`, {
      players: [
        { playerId: guestId, location: "game", status: "level 1" },
        { playerId: hostId, status: "level 1" },
      ],
      expectedVersion: one.body.version,
    });
    assert.equal(bulk.status, 200, JSON.stringify(bulk.body));
    assert.equal(bulk.body.version, one.body.version + 1, "one version step for the whole bulk write");
    await waitFor("both in the game in both views", () =>
      [hostRoom, guestRoom].every((r) => locationOf(r, hostId) === "game" && locationOf(r, guestId) === "game"),
    );

    // A drop shows as disconnected; the automatic reconnection puts the player back in the game.
    guestRoom.reconnection.minUptime = 0;
    await dropConnection(guestRoom);
    await waitFor("host sees the guest disconnected", () => locationOf(hostRoom, guestId) === "disconnected");
    await waitFor("the guest is back where they were", () => locationOf(hostRoom, guestId) === "game", 15_000);

    const ended = await game(key, "POST", `/rooms/${code}/game/ended`, {
      gameId: "dash-1",
      result: { winner: guestId, scores: { [guestId]: 12 } },
    });
    assert.equal(ended.status, 200, JSON.stringify(ended.body));
    await waitFor("everyone back in the lobby, the result shown", () =>
      [hostRoom, guestRoom].every(
        (r) =>
          locationOf(r, hostId) === "lobby" &&
          locationOf(r, guestId) === "lobby" &&
          r.state.currentGame === undefined &&
          r.state.lastGame?.gameId === "dash-1",
      ),
    );
    assert.deepEqual(JSON.parse(guestRoom.state.lastGame!.result), { winner: guestId, scores: { [guestId]: 12 } });
    const after = await game(key, "GET", `/rooms/${code}/players`);
    assert.equal(after.body.lastResult.result.winner, guestId);
    assert.equal(after.body.currentGame, null);

    // Audit events are written in batches: wait for the last one.
    const writeKinds = async () => {
      const events = await httpJson("GET", `/admin/rooms/${code}/events`, undefined, ADMIN_HEADERS);
      return events.body.events
        .filter((e: { kind: string }) => e.kind === "game-write")
        .map((e: { details: { write: string } }) => e.details.write);
    };
    let kinds: string[] = [];
    await waitFor("every game write audited", async () => (kinds = await writeKinds()).length >= 4);
    assert.deepEqual(kinds, ["gameStarted", "players", "players", "gameEnded"]);
  });

  it("answers a repeated Idempotency-Key with the first reply, and refuses the key with another body", async () => {
    const { key } = await issueKey(ALL_SCOPES);
    const { code, hostId, guestRoom } = await roomOfTwo(rooms);
    const headers = { "idempotency-key": "write-0001" };
    const first = await game(key, "PUT", `/rooms/${code}/players/${hostId}`, { location: "game" }, headers);
    assert.equal(first.status, 200);
    const again = await game(key, "PUT", `/rooms/${code}/players/${hostId}`, { location: "game" }, headers);
    assert.equal(again.status, 200);
    assert.deepEqual(again.body, first.body, "the stored first reply, same update id and version");
    const read = await game(key, "GET", `/rooms/${code}/players`);
    assert.equal(read.body.version, first.body.version, "the repeat changed nothing");
    const other = await game(key, "PUT", `/rooms/${code}/players/${hostId}`, { location: "lobby" }, headers);
    assert.equal(other.status, 422);
    assert.equal(other.body.code, "IDEMPOTENCY_CONFLICT");
    await waitFor("the guest sees the one change", () => locationOf(guestRoom, hostId) === "game");
    assert.ok((await metricSum("tavern_platform_requests_total", 'outcome="replayed"')) >= 1);
  });

  it("refuses wrong, out-of-scope, other-room, revoked and rotated-out keys, changing nothing", async () => {
    const { code, hostId, hostRoom } = await roomOfTwo(rooms);
    const write = (key: string) => game(key, "PUT", `/rooms/${code}/players/${hostId}`, { location: "game" });

    const missing = await httpJson("PUT", `/api/v1/games/rooms/${code}/players/${hostId}`, { location: "game" });
    assert.equal(missing.status, 401);
    assert.equal((await write("tvk_aaaaaaaaaaaa_" + "A".repeat(43))).status, 401);
    assert.equal((await write("not-a-key")).status, 401);

    const readOnly = await issueKey(["rooms:read"]);
    const denied = await write(readOnly.key);
    assert.equal(denied.status, 403);
    assert.match(denied.body.message, /players:write/);

    const elsewhere = await issueKey(ALL_SCOPES, { roomCode: "QQQQQQ" });
    assert.equal((await write(elsewhere.key)).status, 403);

    const revoked = await issueKey(ALL_SCOPES);
    assert.equal((await httpJson("POST", `/admin/api-keys/${revoked.id}/revoke`, {}, ADMIN_HEADERS)).status, 200);
    const afterRevoke = await write(revoked.key);
    assert.equal(afterRevoke.status, 401);
    assert.match(afterRevoke.body.message, /revoked/);

    // Rotation with a grace period: both work; without one, the old key stops at once.
    const old = await issueKey(ALL_SCOPES);
    const rotated = await httpJson("POST", `/admin/api-keys/${old.id}/rotate`, { graceSeconds: 3600 }, ADMIN_HEADERS);
    assert.equal(rotated.status, 201);
    assert.equal((await game(old.key, "GET", `/rooms/${code}/players`)).status, 200, "old key within its grace");
    assert.equal((await game(rotated.body.key, "GET", `/rooms/${code}/players`)).status, 200);
    const next = await httpJson("POST", `/admin/api-keys/${rotated.body.id}/rotate`, { graceSeconds: 0 }, ADMIN_HEADERS);
    const stopped = await game(rotated.body.key, "GET", `/rooms/${code}/players`);
    assert.equal(stopped.status, 401);
    assert.match(stopped.body.message, new RegExp(next.body.id));

    const list = await httpJson("GET", "/admin/api-keys", undefined, ADMIN_HEADERS);
    assert.ok(list.body.keys.length >= 5);
    assert.ok(
      list.body.keys.every((k: Record<string, unknown>) => !("key" in k) && !("secretHash" in k)),
      "a listing never holds a secret",
    );
    assert.equal(locationOf(hostRoom, hostId), "lobby", "no refused key changed anything");
  });

  it("limits bulk writes per key, with RateLimit and Retry-After headers", async () => {
    const { key } = await issueKey(ALL_SCOPES);
    const { code, hostId } = await roomOfTwo(rooms);
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i < 11; i++) {
      const res = await fetch(`http://127.0.0.1:${process.env["TEST_PORT"] ?? 2568}/api/v1/games/rooms/${code}/players`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ players: [{ playerId: hostId, status: `step ${i}` }] }),
      });
      statuses.push(res.status);
      if (res.status === 429) limited = res;
      else assert.ok(res.headers.get("ratelimit-remaining") !== null, "RateLimit-* headers on every reply");
    }
    assert.deepEqual(statuses, [...Array<number>(10).fill(200), 429]);
    assert.ok(Number(limited!.headers.get("retry-after")) > 0);
    const body = (await limited!.json()) as { code: string; retryable: boolean };
    assert.equal(body.code, "RATE_LIMITED");
    assert.equal(body.retryable, true);
  });

  it("refuses hostile input without changing anything or hurting the room", async () => {
    const { key } = await issueKey(ALL_SCOPES);
    const { code, hostId, hostRoom } = await roomOfTwo(rooms);
    const put = (body: unknown, headers: Record<string, string> = {}, playerId = hostId) =>
      game(key, "PUT", `/rooms/${code}/players/${encodeURIComponent(playerId)}`, body, headers);
    const before = (await game(key, "GET", `/rooms/${code}/players`)).body.version as number;

    assert.equal((await put({ status: "nul\u0000byte" })).status, 400, "a NUL would poison stored JSON");
    assert.equal((await put({ status: "line\nbreak" })).status, 400, "control characters");
    assert.equal((await put({ status: "\ud800 lone surrogate" })).status, 400);
    assert.equal((await put({ status: "x".repeat(20_000) })).status, 400, "a body past the API's size limit");
    assert.equal((await put({ location: "game", extra: true })).status, 400, "unknown fields");
    assert.equal((await put({ location: "game" }, { "idempotency-key": "has spaces in it" })).status, 400);
    assert.equal((await put({ location: "game" }, {}, "p".repeat(2000))).status, 404, "an absurd player id is just unknown");
    const huge = await game(key, "POST", `/rooms/${code}/game/started`, { gameId: "g", url: `https://x.example/${"a".repeat(3000)}` });
    assert.equal(huge.status, 400);
    const javascriptUrl = await game(key, "POST", `/rooms/${code}/game/started`, { gameId: "g", url: "javascript:alert(1)" });
    assert.equal(javascriptUrl.status, 400, "only http(s) links reach the room panel");

    const after = await game(key, "GET", `/rooms/${code}/players`);
    assert.equal(after.body.version, before, "nothing changed");
    assert.equal(hostRoom.state.currentGame, undefined);
    assert.equal((await put({ location: "game" })).status, 200, "the room still answers");

    // A result nested 600 deep fits the 4 KB bound: it is kept as text and shown, and the room goes on.
    const deep: Record<string, unknown> = {};
    let cursor = deep;
    for (let i = 0; i < 600; i++) cursor = cursor["n"] = {};
    assert.equal((await game(key, "POST", `/rooms/${code}/game/started`, { gameId: "g" })).status, 200);
    const ended = await game(key, "POST", `/rooms/${code}/game/ended`, { gameId: "g", result: deep });
    assert.equal(ended.status, 200);
    await waitFor("the deep result reached the client", () => hostRoom.state.lastGame?.gameId === "g");
    assert.equal(JSON.stringify(JSON.parse(hostRoom.state.lastGame!.result)), JSON.stringify(deep));
    const next = await game(key, "POST", `/rooms/${code}/game/started`, { gameId: "h" });
    assert.equal(next.status, 200, "the room still answers after it");
  });

  it("names the field of a malformed body and the room that does not exist", async () => {
    const { key } = await issueKey(ALL_SCOPES);
    const { code, hostId } = await roomOfTwo(rooms);
    const wrongLocation = await game(key, "PUT", `/rooms/${code}/players/${hostId}`, { location: "moon" });
    assert.equal(wrongLocation.status, 400);
    assert.match(wrongLocation.body.message, /location/);
    const noField = await game(key, "PUT", `/rooms/${code}/players/${hostId}`, {});
    assert.equal(noField.status, 400);
    const longStatus = await game(key, "PUT", `/rooms/${code}/players/${hostId}`, { status: "x".repeat(65) });
    assert.match(longStatus.body.message, /status/);
    const notJson = await game(key, "POST", `/rooms/${code}/players`, "{not json");
    assert.equal(notJson.status, 400);
    const noRoom = await game(key, "GET", `/rooms/WWWWWW/players`);
    assert.equal(noRoom.status, 404);
    const disconnectedIsNotReported = await game(key, "PUT", `/rooms/${code}/players/${hostId}`, { location: "disconnected" });
    assert.equal(disconnectedIsNotReported.status, 400);
    const endNothing = await game(key, "POST", `/rooms/${code}/game/ended`, { gameId: "never-started" });
    assert.equal(endNothing.status, 409);
    assert.equal(endNothing.body.code, "INVALID_PHASE");
  });
});

describe("npm run keys: the admin CLI", function () {
  this.timeout(60_000);
  roomsLeftAfterEach();

  const cli = async (...args: string[]) => {
    const { execFile } = await import("node:child_process");
    return new Promise<{ code: number; out: string; err: string }>((resolve) => {
      execFile(
        process.execPath,
        ["--import", "tsx", "scripts/keys.ts", ...args],
        { env: { ...process.env, TAVERN_URL: ENDPOINT, ADMIN_PASSWORD: ADMIN.password } },
        (error, out, err) => resolve({ code: error ? Number(error.code ?? 1) : 0, out, err }),
      );
    });
  };

  it("creates a key that works, lists it without its secret, rotates and revokes it", async () => {
    const created = await cli("create", "--name", "CLI game", "--scopes", "rooms:read", "--json");
    assert.equal(created.code, 0, created.err);
    const issued = JSON.parse(created.out) as { id: string; key: string };
    assert.match(issued.key, /^tvk_/);
    const listed = await cli("list");
    assert.match(listed.out, new RegExp(`${issued.id}  CLI game`));
    assert.ok(!listed.out.includes(issued.key), "the list never shows a secret");
    const rotated = await cli("rotate", issued.id, "--grace-seconds", "0");
    assert.equal(rotated.code, 0, rotated.err);
    assert.match(rotated.out, /only time the key is shown/);
    const revoked = await cli("revoke", issued.id);
    assert.match(revoked.out, /revoked/);
    const bad = await cli("create", "--name", "x", "--scopes", "rooms:fly");
    assert.equal(bad.code, 2);
    assert.match(bad.err, /scopes/);
  });
});
