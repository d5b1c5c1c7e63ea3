/**
 * The game SDK against the booted server, with SDK clients in the room whose decoded state is
 * checked: the whole flow, a retry after a lost answer (one version step, the stored reply), typed
 * refusals, Retry-After on a spent rate limit, the example game, and the OpenAPI document and its
 * reference page as served.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { OPERATIONS, TavernApiError, TavernGameClient, verifyWebhook, type RetryPolicy, type WebhookEvent } from "../../../sdk/src/index";
import {
  ENDPOINT,
  harness,
  TRUSTED_ORIGIN,
  createSpace,
  httpJson,
  joinSpace,
  newPlayer,
  roomsLeftAfterEach,
  sleep,
  waitFor,
  type SpaceRoomClient,
} from "../support/harness";
import { ALL_SCOPES, issueKey, roomOfTwo } from "../support/platform";
import { startReceiver } from "../support/webhookReceiver";

const sdkFor = (apiKey: string, extra: { fetch?: typeof fetch; retry?: Partial<RetryPolicy> } = {}) =>
  new TavernGameClient({ baseUrl: ENDPOINT, apiKey, ...extra });

const seat = (room: SpaceRoomClient, playerId: string) => room.state.players.get(playerId);

async function failure(promise: Promise<unknown>): Promise<TavernApiError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof TavernApiError, `expected a TavernApiError, got ${String(err)}`);
    return err;
  }
  throw new Error("expected the call to fail, but it succeeded");
}

describe("game SDK against the server", function () {
  this.timeout(30_000);
  const rooms = roomsLeftAfterEach();

  it("runs a whole game: launch, players to the game, statuses, heartbeat, the end with a result", async () => {
    const tavern = sdkFor((await issueKey(ALL_SCOPES)).key);
    const { code, hostRoom, guestRoom, hostId, guestId } = await roomOfTwo(rooms);
    const both = [hostRoom, guestRoom];

    const before = await tavern.players(code.toLowerCase());
    assert.equal(before.roomCode, code);
    assert.deepEqual(before.players.map((p) => p.location).sort(), ["lobby", "lobby"]);

    const started = await tavern.gameStarted(code, { gameId: "sdk-1", url: "https://dash.example/play" }, { waitForBroadcast: true });
    assert.equal(started.version, before.version + 1);
    assert.equal(started.broadcast, true);
    await waitFor("both see the game", () => both.every((r) => r.state.currentGame?.gameId === "sdk-1"));

    const moved = await tavern.bulkUpdate(code, {
      players: [
        { playerId: hostId, location: "game", status: "choosing a hero" },
        { playerId: guestId, location: "game", status: "choosing a hero" },
      ],
      expectedVersion: started.version,
    });
    assert.equal(moved.version, started.version + 1, "one step for the bulk write");
    await waitFor("both in the game in both views", () =>
      both.every((r) => seat(r, hostId)?.location === "game" && seat(r, guestId)?.location === "game"),
    );

    const one = await tavern.setPlayer(code, guestId, { status: "level 2" }, { waitForBroadcast: true });
    assert.equal(one.broadcast, true);
    await waitFor("the host sees the guest's status", () => seat(hostRoom, guestId)?.status === "level 2");

    const seenAt = async () => (await tavern.players(code)).players.find((p) => p.playerId === guestId)!.lastSeenAt;
    const seenBefore = await seenAt();
    assert.ok(seenBefore > 0, "a connected player has been seen");
    let patches = 0;
    const countPatch = () => patches++;
    hostRoom.onStateChange(countPatch);
    await sleep(5);
    const beat = await tavern.heartbeat(code);
    assert.equal(beat.version, one.version, "a heartbeat moves no version");
    assert.ok((await seenAt()) > seenBefore, "the heartbeat moved the guest's lastSeenAt");
    // Three patch intervals: a heartbeat changes nothing a client holds, so none of them carries anything.
    await sleep(150);
    hostRoom.onStateChange.remove(countPatch);
    assert.equal(patches, 0, "a heartbeat sent the room's clients a patch");

    const ended = await tavern.gameEnded(code, { gameId: "sdk-1", result: { winner: guestId, scores: { [guestId]: 12, [hostId]: 7 } } });
    assert.equal(ended.version, one.version + 1);
    await waitFor("everyone back in the lobby with the result", () =>
      both.every(
        (r) =>
          seat(r, hostId)?.location === "lobby" &&
          seat(r, guestId)?.location === "lobby" &&
          r.state.currentGame === undefined &&
          r.state.lastGame?.gameId === "sdk-1",
      ),
    );
    assert.deepEqual(JSON.parse(guestRoom.state.lastGame!.result), { winner: guestId, scores: { [guestId]: 12, [hostId]: 7 } });
    const after = await tavern.players(code);
    assert.equal(after.currentGame, null);
    assert.equal(after.lastResult?.result["winner"], guestId);
  });

  it("retries a write whose answer was lost with the same key: the server answers its stored reply, one version step", async () => {
    const key = (await issueKey(ALL_SCOPES)).key;
    const { code, hostId, guestRoom } = await roomOfTwo(rooms);
    const v0 = (await sdkFor(key).players(code)).version;

    const sentKeys: string[] = [];
    const replayedHeaders: Array<string | null> = [];
    let lostAnswer: { updateId: string; version: number } | undefined;
    // The server handles the first PUT and answers; the answer never reaches the game.
    const lossyFetch: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      sentKeys.push((init?.headers as Record<string, string>)["idempotency-key"]!);
      replayedHeaders.push(res.headers.get("idempotent-replayed"));
      if (lostAnswer === undefined) {
        lostAnswer = (await res.json()) as { updateId: string; version: number };
        throw new TypeError("fetch failed", { cause: new Error("socket hang up") });
      }
      return res;
    };
    const reply = await sdkFor(key, { fetch: lossyFetch }).setPlayer(code, hostId, { location: "game", status: "in the dungeon" });

    assert.equal(sentKeys.length, 2, "one retry");
    assert.equal(sentKeys[0], sentKeys[1], "the retry carried the same Idempotency-Key");
    assert.deepEqual(replayedHeaders, [null, "true"], "the retry was answered from the stored reply");
    assert.equal(reply.updateId, lostAnswer!.updateId, "the same update, not a second one");
    assert.equal(reply.version, v0 + 1);
    assert.equal((await sdkFor(key).players(code)).version, v0 + 1, "one version step only");
    await waitFor("the change reached the room", () => seat(guestRoom, hostId)?.location === "game");
  });

  it("throws typed errors: a bad key, a missing scope, a stale version, an unknown player", async () => {
    const { code, hostId } = await roomOfTwo(rooms);

    const unknown = await failure(sdkFor(`tvk_aaaaaaaaaaaa_${"A".repeat(43)}`).players(code));
    assert.equal(unknown.status, 401);
    assert.equal(unknown.code, "UNAUTHORIZED");
    assert.equal(unknown.retryable, false);
    assert.equal(unknown.attempts, 1, "a refusal is not retried");

    const readOnly = sdkFor((await issueKey(["rooms:read"])).key);
    const denied = await failure(readOnly.setPlayer(code, hostId, { location: "game" }));
    assert.equal(denied.status, 403);
    assert.equal(denied.code, "PERMISSION_DENIED");
    assert.deepEqual(denied.details, { scope: "players:write" });

    const tavern = sdkFor((await issueKey(ALL_SCOPES)).key);
    const { version } = await tavern.players(code);
    await tavern.setPlayer(code, hostId, { status: "first" });
    const stale = await failure(tavern.setPlayer(code, hostId, { status: "second", expectedVersion: version }));
    assert.equal(stale.status, 409);
    assert.equal(stale.code, "VERSION_CONFLICT");
    assert.equal(stale.details?.["currentVersion"], version + 1);

    const nobody = await failure(tavern.bulkUpdate(code, { players: [{ playerId: "nobody-here", location: "game" }] }));
    assert.equal(nobody.status, 404);
    assert.equal(nobody.code, "NOT_FOUND");
  });

  it("waits the Retry-After of a spent rate limit before its retry, and gives up on a wait too long", async () => {
    const key = (await issueKey(ALL_SCOPES)).key;
    const { code, hostId } = await roomOfTwo(rooms);
    const write = (tavern: TavernGameClient, i: number) =>
      tavern.bulkUpdate(code, { players: [{ playerId: hostId, status: `step ${i}` }] });
    // The bulk tier allows 10 a minute per key.
    for (let i = 0; i < 10; i++) await write(sdkFor(key), i);

    const waits: number[] = [];
    const patient = sdkFor(key, { retry: { maxAttempts: 2, maxRetryAfterMs: 120_000, sleep: async (ms) => void waits.push(ms) } });
    const limited = await failure(write(patient, 10));
    assert.equal(limited.status, 429);
    assert.equal(limited.code, "RATE_LIMITED");
    assert.equal(limited.retryable, true);
    assert.equal(limited.attempts, 2, "retried once, then the attempts ran out");
    assert.ok(limited.retryAfterSeconds! > 0);
    assert.equal(waits.length, 1);
    assert.ok(waits[0]! >= limited.retryAfterSeconds! * 1000, `waited ${waits[0]} ms, Retry-After ${limited.retryAfterSeconds} s`);
    assert.equal(limited.details?.["tier"], "bulkWrites");

    // The default policy waits at most 30 s: a longer Retry-After is thrown at once for the game to schedule.
    const started = Date.now();
    const impatient = await failure(write(sdkFor(key), 11));
    if (impatient.retryAfterSeconds! > 30) assert.equal(impatient.attempts, 1);
    assert.ok(Date.now() - started < 5000 || impatient.retryAfterSeconds! <= 30);
  });

  it("runs the example game (npm run example:game) against a room", async function () {
    this.timeout(60_000);
    const key = (await issueKey(ALL_SCOPES)).key;
    const { code, hostRoom, hostId, guestId } = await roomOfTwo(rooms);
    const args = [
      "--import",
      "tsx",
      "sdk/examples/game.ts",
      "--room",
      code,
      "--key",
      key,
      "--url",
      ENDPOINT,
      "--rounds",
      "2",
      "--interval",
      "0",
    ];
    const run = await new Promise<{ code: number; out: string; err: string }>((resolve) => {
      execFile(process.execPath, args, (error, out, err) => resolve({ code: error ? Number(error.code ?? 1) : 0, out, err }));
    });
    assert.equal(run.code, 0, run.err);
    assert.match(run.out, /game dash-\w+ started/);
    assert.match(run.out, /round 2: /);
    await waitFor("the room shows the example's result", () => hostRoom.state.lastGame?.gameId.startsWith("dash-") === true);
    const result = JSON.parse(hostRoom.state.lastGame!.result) as { winner: string; scores: Record<string, number> };
    assert.ok([hostId, guestId].includes(result.winner));
    assert.equal(seat(hostRoom, guestId)?.location, "lobby");
  });

  it("manages webhook endpoints: registers one, hears a room's event through it, disables, enables and deletes it", async () => {
    const tavern = sdkFor((await issueKey(["webhooks:manage"])).key);
    const inbox = await startReceiver();
    try {
      const host = await newPlayer("Ana");
      const hostRoom = await createSpace(host);
      rooms.push(hostRoom);
      const code = hostRoom.state.code;
      // The host's own join is stored before the endpoint exists: it is no event of this test's.
      await (await harness()).tavern.services.webhookOutbox.flush();

      const registered = await tavern.registerWebhook({ url: inbox.url, events: ["player.joined"], roomCode: code.toLowerCase() });
      assert.match(registered.secret, /^whsec_/);
      assert.equal(registered.roomCode, code);
      assert.equal(registered.enabled, true);
      const { webhooks } = await tavern.listWebhooks();
      assert.deepEqual(
        webhooks.map((w) => w.id),
        [registered.id],
      );
      assert.ok(!JSON.stringify(webhooks).includes(registered.secret), "listed without the secret");
      assert.deepEqual((await tavern.getWebhook(registered.id)).events, ["player.joined"]);

      const guest = await newPlayer("Bo");
      rooms.push(await joinSpace(guest, code));
      await waitFor("the join is delivered", () => inbox.received.length >= 1);
      const [request] = inbox.received;
      const { payload } = await verifyWebhook<WebhookEvent>({ secret: registered.secret, body: request!.body, headers: request!.headers });
      assert.equal(payload.type, "player.joined");
      if (payload.type === "player.joined") assert.equal(payload.data.playerId, guest.session.playerId);
      await waitFor("the log says delivered", async () => {
        await sleep(50); // a read per poll: well inside the reads tier
        const log = await tavern.webhookDeliveries(registered.id);
        return log.deliveries.some((d) => d.eventId === payload.id && d.state === "delivered" && d.log[0]?.statusCode === 200);
      });

      const disabled = await tavern.updateWebhook(registered.id, { enabled: false });
      assert.equal(disabled.enabled, false);
      assert.equal(disabled.disabledReason, "disabled by the game");
      assert.equal((await tavern.updateWebhook(registered.id, { enabled: true })).enabled, true);

      const refused = await failure(tavern.registerWebhook({ url: "https://169.254.169.254/x", events: ["player.left"] }));
      assert.equal(refused.code, "VALIDATION_ERROR");
      assert.match(refused.message, /^url /);

      await tavern.deleteWebhook(registered.id);
      assert.equal((await failure(tavern.getWebhook(registered.id))).code, "NOT_FOUND");
      assert.equal((await failure(tavern.deleteWebhook(registered.id))).status, 404);
      assert.deepEqual((await tavern.listWebhooks()).webhooks, []);

      const noScope = await failure(sdkFor((await issueKey(ALL_SCOPES)).key).listWebhooks());
      assert.equal(noScope.code, "PERMISSION_DENIED");
      assert.deepEqual(noScope.details, { scope: "webhooks:manage" });
    } finally {
      await inbox.close();
    }
  });

  it("lets a page of a listed origin make every operation's method, PUT, PATCH and DELETE included", async () => {
    const preflight = await fetch(`${ENDPOINT}/api/v1/games/rooms/KQ7XHD/players/p1`, {
      method: "OPTIONS",
      headers: {
        origin: TRUSTED_ORIGIN,
        "access-control-request-method": "PUT",
        "access-control-request-headers": "authorization, idempotency-key",
      },
    });
    assert.equal(preflight.headers.get("access-control-allow-origin"), TRUSTED_ORIGIN);
    const granted = (preflight.headers.get("access-control-allow-methods") ?? "").split(/,\s*/);
    for (const { method } of Object.values(OPERATIONS)) assert.ok(granted.includes(method), `${method} is granted`);
    assert.match(preflight.headers.get("access-control-allow-headers") ?? "", /Idempotency-Key/);
  });

  it("serves the OpenAPI document and a reference page that loads nothing from elsewhere", async () => {
    const doc = await httpJson("GET", "/api/v1/openapi.json");
    assert.equal(doc.status, 200);
    assert.equal(doc.body.openapi, "3.1.0");
    assert.ok(doc.body.paths["/api/v1/games/rooms/{code}/players"].get);
    assert.ok(doc.body.paths["/api/v1/games/webhooks/{id}"].patch);
    assert.ok(doc.body.webhooks.roomEvent.post);

    const bare = await fetch(`${ENDPOINT}/api/docs`, { redirect: "manual" });
    assert.equal(bare.status, 301);
    assert.equal(bare.headers.get("location"), "/api/docs/");
    const page = await fetch(`${ENDPOINT}/api/docs/`);
    assert.equal(page.status, 200);
    const html = await page.text();
    const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    assert.ok(sources.length >= 4);
    assert.ok(
      sources.every((s) => s.startsWith("./")),
      `only local assets: ${sources.join(" ")}`,
    );
    for (const asset of sources) {
      const res = await fetch(new URL(asset, `${ENDPOINT}/api/docs/`));
      assert.equal(res.status, 200, asset);
      await res.arrayBuffer();
    }
    const init = await (await fetch(`${ENDPOINT}/api/docs/tavern-init.js`)).text();
    assert.match(init, /"\/api\/v1\/openapi\.json"/);
    assert.equal((await fetch(`${ENDPOINT}/api/docs/package.json`)).status, 404, "only the page's assets are served");
  });
});
