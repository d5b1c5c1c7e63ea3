/**
 * Webhooks end to end, against the booted server and local receivers on 127.0.0.1: registration
 * and its refusals, events from a live room arriving signed (and a tampered body failing the
 * check), retries after 500s, a hanging receiver timed out and retried while the room keeps
 * answering, a dead endpoint disabled after the threshold and enabled again. The harness runs
 * webhooks with a 1 s timeout, 3 attempts, 100 ms base backoff and disabling after 2 deliveries
 * that gave up, and with loopback endpoints allowed (one test turns that off).
 */
import assert from "node:assert/strict";
import { WEBHOOK_HEADERS, verifyWebhook } from "@tavern/shared/webhookSignature";
import type { WebhookEventBody } from "@tavern/shared/webhooks";
import {
  ADMIN,
  createSpace,
  errorOf,
  harness,
  httpJson,
  joinSpace,
  metricSum,
  newPlayer,
  roomsLeftAfterEach,
  sleep,
  waitFor,
} from "../support/harness";
import { startReceiver, type ReceivedRequest, type WebhookReceiver } from "../support/webhookReceiver";

const adminHeaders = { authorization: `Basic ${Buffer.from(`${ADMIN.user}:${ADMIN.password}`).toString("base64")}` };
const ALL_EVENTS = ["player.joined", "player.left", "player.location_changed", "host.changed", "game.launch_requested"];

async function issueKey(scopes: string[], extra: Record<string, unknown> = {}): Promise<{ id: string; key: string }> {
  const res = await httpJson("POST", "/admin/api-keys", { name: "Hook Game", scopes, ...extra }, adminHeaders);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

const game = (key: string, method: string, path: string, body?: unknown) =>
  httpJson(method, `/api/v1/games${path}`, body, { authorization: `Bearer ${key}` });

const header = (request: ReceivedRequest, name: string) => String(request.headers[name.toLowerCase()] ?? "");
const eventOf = (request: ReceivedRequest) => JSON.parse(request.body) as WebhookEventBody;

describe("webhooks: games hear what happens in their rooms", function () {
  this.timeout(30_000);
  const rooms = roomsLeftAfterEach();
  const receivers: WebhookReceiver[] = [];
  afterEach(async () => {
    await Promise.all(receivers.splice(0).map((r) => r.close()));
  });

  async function receiver(answer?: Parameters<typeof startReceiver>[0]): Promise<WebhookReceiver> {
    const started = await startReceiver(answer);
    receivers.push(started);
    return started;
  }

  async function hostedRoom() {
    const host = await newPlayer("Host");
    const hostRoom = await createSpace(host);
    rooms.push(hostRoom);
    // The host's own join is stored before the test registers anything: it is no event of the test's.
    await (await harness()).tavern.services.webhookOutbox.flush();
    return { host, hostRoom, code: hostRoom.state.code, hostId: host.session.playerId };
  }

  /** An endpoint for this room's events only (other tests' rooms never reach it). */
  async function register(key: string, url: string, roomCode: string, events = ALL_EVENTS) {
    const res = await game(key, "POST", "/webhooks", { url, events, roomCode });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as { id: string; secret: string };
  }

  async function deliveries(key: string, endpointId: string) {
    const res = await game(key, "GET", `/webhooks/${endpointId}/deliveries`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.deliveries as Array<{
      eventId: string;
      eventType: string;
      state: string;
      attempts: number;
      log: Array<{ attempt: number; statusCode: number | null; error: string | null; durationMs: number }>;
    }>;
  }

  it("registers, lists without the secret, deletes; refuses bad URLs and events, keys without the scope, other games and other rooms", async () => {
    const { key } = await issueKey(["webhooks:manage"]);
    const registered = await game(key, "POST", "/webhooks", { url: "https://game.example/hooks", events: ["player.joined"] });
    assert.equal(registered.status, 201, JSON.stringify(registered.body));
    assert.match(registered.body.secret, /^whsec_[A-Za-z0-9_-]{43}$/);
    assert.equal(registered.body.enabled, true);
    assert.equal(registered.body.roomCode, null);
    const id = registered.body.id as string;

    const listed = await game(key, "GET", "/webhooks");
    assert.equal(listed.status, 200);
    assert.deepEqual(
      listed.body.webhooks.map((w: { id: string }) => w.id),
      [id],
    );
    assert.ok(!JSON.stringify(listed.body).includes(registered.body.secret), "the list never shows the secret");
    const admin = await httpJson("GET", "/admin/webhooks", undefined, adminHeaders);
    assert.equal(admin.status, 200);
    assert.ok(admin.body.webhooks.some((w: { id: string }) => w.id === id));
    assert.ok(!JSON.stringify(admin.body).includes(registered.body.secret), "nor the admin list");
    assert.equal((await httpJson("GET", "/admin/webhooks", undefined, {})).status, 401);

    for (const url of ["http://game.example/hooks", "ftp://game.example/hooks", "https://169.254.169.254/x", "hooks"]) {
      const refused = await game(key, "POST", "/webhooks", { url, events: ["player.joined"] });
      assert.equal(refused.status, 400, url);
      assert.equal(refused.body.code, "VALIDATION_ERROR");
      assert.match(refused.body.message, /^url /, url);
    }
    const plainHttp = await game(key, "POST", "/webhooks", { url: "http://game.example/hooks", events: ["player.joined"] });
    assert.match(plainHttp.body.message, /https/);
    assert.equal((await game(key, "POST", "/webhooks", { url: "https://game.example/h", events: ["player.danced"] })).status, 400);
    assert.equal((await game(key, "POST", "/webhooks", { url: "https://game.example/h", events: [] })).status, 400);

    const noScope = await issueKey(["rooms:read", "players:write", "games:write"]);
    for (const [method, path] of [
      ["POST", "/webhooks"],
      ["GET", "/webhooks"],
      ["GET", `/webhooks/${id}/deliveries`],
      ["DELETE", `/webhooks/${id}`],
    ] as const) {
      const denied = await game(
        noScope.key,
        method,
        path,
        method === "POST" ? { url: "https://game.example/h", events: ["player.joined"] } : undefined,
      );
      assert.equal(denied.status, 403, `${method} ${path}`);
      assert.match(denied.body.message, /webhooks:manage/);
    }
    assert.equal((await httpJson("GET", "/api/v1/games/webhooks")).status, 401);

    // Another game neither sees nor deletes it.
    const other = await issueKey(["webhooks:manage"]);
    assert.deepEqual((await game(other.key, "GET", "/webhooks")).body.webhooks, []);
    assert.equal((await game(other.key, "DELETE", `/webhooks/${id}`)).status, 404);

    // A key held to one room registers endpoints of that room only.
    const roomKey = await issueKey(["webhooks:manage"], { roomCode: "QQQQQQ" });
    const elsewhere = await game(roomKey.key, "POST", "/webhooks", {
      url: "https://game.example/h",
      events: ["player.left"],
      roomCode: "RRRRRR",
    });
    assert.equal(elsewhere.status, 403);
    const implied = await game(roomKey.key, "POST", "/webhooks", { url: "https://game.example/h", events: ["player.left"] });
    assert.equal(implied.status, 201);
    assert.equal(implied.body.roomCode, "QQQQQQ");

    assert.equal((await game(key, "DELETE", `/webhooks/${id}`)).status, 204);
    assert.equal((await game(key, "GET", `/webhooks/${id}`)).status, 404);
    assert.deepEqual((await game(key, "GET", "/webhooks")).body.webhooks, []);
  });

  it("delivers the room's events signed: joined, location changed, launch requested, host changed, left (and the host role back)", async () => {
    const { key } = await issueKey(["webhooks:manage", "players:write"]);
    const inbox = await receiver();
    const { hostRoom, code, hostId } = await hostedRoom();
    const endpoint = await register(key, inbox.url, code);

    const guest = await newPlayer("Guest");
    const guestId = guest.session.playerId;
    const guestRoom = await joinSpace(guest, code);
    rooms.push(guestRoom);
    const moved = await game(key, "PUT", `/rooms/${code}/players/${guestId}`, { location: "game" });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    const launch = (await hostRoom.request("launchGame", { gameId: "dash-7" })) as { eventId: string };
    assert.match(launch.eventId, /^evt_/);
    await hostRoom.request("transferHost", { playerId: guestId });
    await guestRoom.leave(true);

    const types = () => inbox.received.map((r) => eventOf(r).type);
    // The guest's leaving gives the host role back to the first host: a second host.changed.
    await waitFor("all six events", () => types().length >= 6);
    await sleep(200); // nothing more (each event once)
    assert.deepEqual([...types()].sort(), [
      "game.launch_requested",
      "host.changed",
      "host.changed",
      "player.joined",
      "player.left",
      "player.location_changed",
    ]);

    for (const request of inbox.received) {
      const body = eventOf(request);
      const timestamp = header(request, WEBHOOK_HEADERS.timestamp);
      const signature = header(request, WEBHOOK_HEADERS.signature);
      assert.match(signature, /^v1=[0-9a-f]{64}$/);
      assert.equal(header(request, WEBHOOK_HEADERS.id), body.id);
      assert.equal(header(request, "content-type"), "application/json");
      assert.ok(Math.abs(Number(timestamp) - Date.now() / 1000) < 10, "a fresh timestamp");
      assert.deepEqual(verifyWebhook({ secret: endpoint.secret, body: request.body, timestamp, signature }), { ok: true }, body.type);
      const tampered = request.body.replace(`"code":"${code}"`, `"code":"ZZZZZZ"`);
      assert.notEqual(tampered, request.body);
      assert.deepEqual(verifyWebhook({ secret: endpoint.secret, body: tampered, timestamp, signature }), { ok: false, reason: "mismatch" });
      assert.deepEqual(body.room, { code, type: "space" });
      assert.ok(Math.abs(Date.parse(body.occurredAt) - Date.now()) < 10_000);
    }
    const byType = new Map(inbox.received.map((r) => [eventOf(r).type, eventOf(r)]));
    const hostChanges = inbox.received.map(eventOf).filter((e) => e.type === "host.changed");
    assert.deepEqual(byType.get("player.joined")!.data, { playerId: guestId, name: "Guest", role: "player" });
    assert.deepEqual(byType.get("player.location_changed")!.data, { playerId: guestId, location: "game", previousLocation: "lobby" });
    assert.deepEqual(byType.get("game.launch_requested")!.data, { requestedBy: hostId, gameId: "dash-7" });
    assert.equal(byType.get("game.launch_requested")!.id, launch.eventId, "the host's reply names the event");
    assert.deepEqual(
      new Set(hostChanges.map((e) => JSON.stringify(e.data))),
      new Set([JSON.stringify({ hostId: guestId, previousHostId: hostId }), JSON.stringify({ hostId, previousHostId: guestId })]),
    );
    assert.deepEqual(byType.get("player.left")!.data, { playerId: guestId });

    await waitFor("the log shows six deliveries", async () => (await deliveries(key, endpoint.id)).every((d) => d.state === "delivered"));
    const log = await deliveries(key, endpoint.id);
    assert.equal(log.length, 6);
    for (const d of log) {
      assert.equal(d.attempts, 1);
      assert.equal(d.log.length, 1);
      assert.equal(d.log[0]!.statusCode, 200);
      assert.equal(d.log[0]!.error, null);
    }
  });

  it("only the host may ask for a launch, and not while a game runs", async () => {
    const { key } = await issueKey(["games:write"]);
    const { hostRoom, code } = await hostedRoom();
    const guestRoom = await joinSpace(await newPlayer("Guest"), code);
    rooms.push(guestRoom);
    assert.equal((await errorOf(guestRoom.request("launchGame", {}))).code, "PERMISSION_DENIED");
    assert.equal((await errorOf(hostRoom.request("launchGame", { gameId: "x".repeat(65) }))).code, "VALIDATION_ERROR");
    assert.equal((await game(key, "POST", `/rooms/${code}/game/started`, { gameId: "g1" })).status, 200);
    const running = await errorOf(hostRoom.request("launchGame", {}));
    assert.equal(running.code, "INVALID_PHASE");
    assert.match(running.message, /g1/);
  });

  it("retries a receiver that answers 500 twice: the third attempt delivers it, and the log has all three", async () => {
    const { key } = await issueKey(["webhooks:manage"]);
    const inbox = await receiver((n) => (n < 2 ? 500 : 200));
    const { hostRoom, code } = await hostedRoom();
    const endpoint = await register(key, inbox.url, code, ["game.launch_requested"]);
    const failedBefore = await metricSum("tavern_webhook_deliveries_total", 'outcome="failed_attempt"');
    const deliveredBefore = await metricSum("tavern_webhook_deliveries_total", 'outcome="delivered"');

    await hostRoom.request("launchGame", {});
    await waitFor("three attempts", () => inbox.received.length >= 3);
    const [first, second, third] = inbox.received;
    assert.equal(first!.body, third!.body, "the same bytes each time");
    assert.equal(header(first!, WEBHOOK_HEADERS.id), header(third!, WEBHOOK_HEADERS.id));
    assert.ok(second!.at - first!.at >= 70, `backed off ${second!.at - first!.at} ms`);
    assert.ok(third!.at - second!.at >= 150, `backed off ${third!.at - second!.at} ms (doubled)`);
    for (const request of inbox.received) {
      const verdict = verifyWebhook({
        secret: endpoint.secret,
        body: request.body,
        timestamp: header(request, WEBHOOK_HEADERS.timestamp),
        signature: header(request, WEBHOOK_HEADERS.signature),
      });
      assert.deepEqual(verdict, { ok: true }, "every retry is signed");
    }

    await waitFor("delivered in the log", async () => (await deliveries(key, endpoint.id))[0]?.state === "delivered");
    const [delivery] = await deliveries(key, endpoint.id);
    assert.equal(delivery!.attempts, 3);
    assert.deepEqual(
      delivery!.log.map((a) => [a.attempt, a.statusCode]),
      [
        [1, 500],
        [2, 500],
        [3, 200],
      ],
    );
    await sleep(300);
    assert.equal(inbox.received.length, 3, "nothing after the delivery");
    assert.ok((await metricSum("tavern_webhook_deliveries_total", 'outcome="failed_attempt"')) >= failedBefore + 2);
    assert.ok((await metricSum("tavern_webhook_deliveries_total", 'outcome="delivered"')) >= deliveredBefore + 1);
    assert.ok((await metricSum("tavern_webhook_attempt_seconds_count")) >= 3);
  });

  it("without WEBHOOK_ALLOW_LOOPBACK refuses this machine: at registration, and at each attempt for an endpoint registered while it was allowed", async () => {
    const { key } = await issueKey(["webhooks:manage"]);
    const inbox = await receiver();
    const { hostRoom, code } = await hostedRoom();
    const endpoint = await register(key, inbox.url, code, ["game.launch_requested"]);
    const rules = (await harness()).tavern.services.config.webhooks;
    rules.allowLoopback = false; // as every server runs unless its operator says otherwise
    try {
      for (const url of [inbox.url, "https://localhost/h", "https://127.0.0.2/h", "https://[::1]/h"]) {
        const refused = await game(key, "POST", "/webhooks", { url, events: ["player.joined"] });
        assert.equal(refused.status, 400, url);
        assert.match(refused.body.message, /^url must not point at this machine.*WEBHOOK_ALLOW_LOOPBACK=true/, url);
      }
      await hostRoom.request("launchGame", {});
      await waitFor("the attempts refused in the log", async () => (await deliveries(key, endpoint.id))[0]?.state === "failed");
      const [delivery] = await deliveries(key, endpoint.id);
      assert.ok(delivery!.log.length >= 1);
      for (const attempt of delivery!.log) assert.match(attempt.error ?? "", /EPRIVATEADDRESS/, JSON.stringify(attempt));
      assert.equal(inbox.received.length, 0, "no request reached the receiver on the loopback");
    } finally {
      rules.allowLoopback = true;
    }
  });

  it("times out a receiver that hangs and tries again, while the room answers as fast as ever", async () => {
    const { key } = await issueKey(["webhooks:manage"]);
    const inbox = await receiver((n) => (n === 0 ? "hang" : 200));
    const { hostRoom, code } = await hostedRoom();
    const endpoint = await register(key, inbox.url, code, ["game.launch_requested"]);

    await hostRoom.request("launchGame", {});
    await waitFor("the first attempt is hanging", () => inbox.received.length === 1);
    // While the receiver holds the attempt open, the room goes on answering at once.
    const roundTrips: number[] = [];
    while (inbox.received.length === 1) {
      const started = performance.now();
      await hostRoom.request("ping");
      roundTrips.push(performance.now() - started);
      await sleep(20);
    }
    assert.ok(roundTrips.length >= 10, `${roundTrips.length} pings during the hang`);
    assert.ok(Math.max(...roundTrips) < 250, `slowest ping ${Math.round(Math.max(...roundTrips))} ms`);

    await waitFor("delivered on the second attempt", async () => (await deliveries(key, endpoint.id))[0]?.state === "delivered");
    const [delivery] = await deliveries(key, endpoint.id);
    const [timedOut, answered] = delivery!.log;
    assert.equal(timedOut!.statusCode, null);
    assert.match(timedOut!.error!, /timeout/);
    assert.ok(timedOut!.durationMs >= 900, `the timeout took ${timedOut!.durationMs} ms`);
    assert.equal(answered!.statusCode, 200);
    // The admin reads the same log.
    const admin = await httpJson("GET", `/admin/webhooks/${endpoint.id}/deliveries`, undefined, adminHeaders);
    assert.equal(admin.status, 200);
    assert.deepEqual(admin.body.deliveries, [delivery]);
    assert.equal((await httpJson("GET", "/admin/webhooks/wh_nothing/deliveries", undefined, adminHeaders)).status, 404);
  });

  it("stops a game's webhooks when its last working API key is revoked, not while a rotated key still works", async () => {
    const first = await issueKey(["webhooks:manage"]);
    const inbox = await receiver();
    const { code } = await hostedRoom();
    const endpoint = await register(first.key, inbox.url, code, ["player.joined"]);
    const rotated = await httpJson("POST", `/admin/api-keys/${first.id}/rotate`, { graceSeconds: 60 }, adminHeaders);
    assert.equal(rotated.status, 201, JSON.stringify(rotated.body));
    assert.equal((await httpJson("POST", `/admin/api-keys/${first.id}/revoke`, {}, adminHeaders)).status, 200);
    rooms.push(await joinSpace(await newPlayer("Heard"), code));
    await waitFor("delivered while the replacement key works", () => inbox.received.length === 1);

    assert.equal((await httpJson("POST", `/admin/api-keys/${rotated.body.id}/revoke`, {}, adminHeaders)).status, 200);
    const admin = await httpJson("GET", "/admin/webhooks", undefined, adminHeaders);
    const listed = admin.body.webhooks.find((w: { id: string }) => w.id === endpoint.id);
    assert.equal(listed.enabled, false, "disabled with the game's last key");
    assert.match(listed.disabledReason, /revoked/);
    rooms.push(await joinSpace(await newPlayer("Unheard"), code));
    await sleep(500);
    assert.equal(inbox.received.length, 1, "nothing sent once no key of the game works");
  });

  it("disables an endpoint whose deliveries keep failing, stops sending to it, and sends again once the game enables it", async () => {
    const { key } = await issueKey(["webhooks:manage"]);
    let healthy = false;
    const inbox = await receiver(() => (healthy ? 200 : 503));
    const { hostRoom, code } = await hostedRoom();
    const endpoint = await register(key, inbox.url, code, ["game.launch_requested", "player.joined"]);
    const disabledBefore = await metricSum("tavern_webhook_deliveries_total", 'outcome="disabled"');
    const gaveUpBefore = await metricSum("tavern_webhook_deliveries_total", 'outcome="gave_up"');

    await hostRoom.request("launchGame", {});
    await hostRoom.request("launchGame", {});
    const view = async () => (await game(key, "GET", `/webhooks/${endpoint.id}`)).body;
    await waitFor("disabled after two deliveries gave up", async () => (await view()).enabled === false);
    const disabled = await view();
    assert.equal(disabled.consecutiveFailures, 2);
    assert.match(disabled.disabledReason, /in a row/);
    assert.equal(inbox.received.length, 6, "three attempts each");
    const log = await deliveries(key, endpoint.id);
    assert.deepEqual(
      log.map((d) => [d.state, d.attempts]),
      [
        ["failed", 3],
        ["failed", 3],
      ],
    );
    const admin = await httpJson("GET", "/admin/webhooks", undefined, adminHeaders);
    assert.equal(admin.body.webhooks.find((w: { id: string }) => w.id === endpoint.id).enabled, false, "disabled in the admin list too");
    assert.equal(await metricSum("tavern_webhook_deliveries_total", 'outcome="disabled"'), disabledBefore + 1);
    assert.equal(await metricSum("tavern_webhook_deliveries_total", 'outcome="gave_up"'), gaveUpBefore + 2);

    // Disabled: the room's events are not sent (nor kept for it).
    healthy = true;
    rooms.push(await joinSpace(await newPlayer("Unheard"), code));
    await sleep(500);
    assert.equal(inbox.received.length, 6, "nothing sent to a disabled endpoint");
    assert.equal((await deliveries(key, endpoint.id)).length, 2);

    const enabled = await game(key, "PATCH", `/webhooks/${endpoint.id}`, { enabled: true });
    assert.equal(enabled.status, 200, JSON.stringify(enabled.body));
    assert.equal(enabled.body.enabled, true);
    assert.equal(enabled.body.consecutiveFailures, 0);
    assert.equal((await game(key, "PATCH", `/webhooks/${endpoint.id}`, { enabled: "yes" })).status, 400);
    rooms.push(await joinSpace(await newPlayer("Heard"), code));
    await waitFor("delivered again", () => inbox.received.length === 7);
    assert.equal(eventOf(inbox.received[6]!).type, "player.joined");
    await waitFor("the log says so", async () => (await deliveries(key, endpoint.id))[0]?.state === "delivered");
  });
});
