/**
 * The client against a scripted fetch: what it sends, which answers it retries and how long it
 * waits, the idempotency key it keeps across retries, the errors it throws.
 */
import assert from "node:assert/strict";
import { TavernApiError, TavernGameClient, TavernNetworkError, type RetryPolicy } from "../src/index.js";

interface Sent {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

type Step = Response | Error;

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
const reply = { roomCode: "KQ7XHD", version: 3, updateId: "u-1" };
const unavailable = { code: "UNAVAILABLE", message: "The room did not answer.", retryable: true };

function scripted(steps: Step[]) {
  const sent: Sent[] = [];
  const waits: number[] = [];
  const fetchDouble: typeof fetch = async (input, init) => {
    sent.push({
      url: String(input),
      method: init?.method ?? "GET",
      headers: init?.headers as Record<string, string>,
      body: init?.body === undefined ? undefined : JSON.parse(String(init.body)),
    });
    const step = steps.shift();
    if (!step) throw new Error("no more scripted answers");
    if (step instanceof Error) throw step;
    return step;
  };
  const retry: Partial<RetryPolicy> = { sleep: async (ms) => void waits.push(ms), random: () => 0.5 };
  const client = new TavernGameClient({ baseUrl: "http://tavern.test/", apiKey: "tvk_abc_secret", fetch: fetchDouble, retry });
  return { client, sent, waits };
}

describe("TavernGameClient", () => {
  it("sends each operation to its route with the key, a JSON body and, for writes, an Idempotency-Key", async () => {
    const { client, sent } = scripted([json(200, { players: [] }), json(200, reply), json(200, reply), json(200, reply)]);
    await client.players("kq7xhd");
    await client.setPlayer("KQ7XHD", "p/1", { location: "game" }, { waitForBroadcast: true });
    await client.bulkUpdate("KQ7XHD", { players: [{ playerId: "a", status: "x" }], expectedVersion: 2 });
    await client.heartbeat("KQ7XHD");
    assert.deepEqual(
      sent.map((s) => `${s.method} ${s.url}`),
      [
        "GET http://tavern.test/api/v1/games/rooms/kq7xhd/players",
        "PUT http://tavern.test/api/v1/games/rooms/KQ7XHD/players/p%2F1?waitForBroadcast=true",
        "POST http://tavern.test/api/v1/games/rooms/KQ7XHD/players",
        "POST http://tavern.test/api/v1/games/rooms/KQ7XHD/heartbeat",
      ],
    );
    assert.ok(sent.every((s) => s.headers["authorization"] === "Bearer tvk_abc_secret"));
    assert.equal(sent[0]!.headers["idempotency-key"], undefined, "a read has no idempotency key");
    const keys = sent.slice(1).map((s) => s.headers["idempotency-key"]);
    assert.ok(
      keys.every((k) => /^[0-9a-f-]{36}$/.test(k!)),
      "writes get a UUID",
    );
    assert.equal(new Set(keys).size, 3, "a new key per call");
    assert.deepEqual(sent[2]!.body, { players: [{ playerId: "a", status: "x" }], expectedVersion: 2 });
    assert.deepEqual(sent[3]!.body, {});
  });

  it("retries a retryable answer after its Retry-After, with the same idempotency key", async () => {
    const { client, sent, waits } = scripted([json(503, unavailable, { "retry-after": "2" }), json(200, reply)]);
    const answer = await client.gameStarted("KQ7XHD", { gameId: "g1" });
    assert.deepEqual(answer, reply);
    assert.equal(sent.length, 2);
    assert.equal(sent[0]!.headers["idempotency-key"], sent[1]!.headers["idempotency-key"]);
    assert.ok(waits[0]! >= 2000 && waits[0]! <= 2200, `waited ${waits[0]} ms for Retry-After: 2`);
  });

  it("retries a lost answer (network failure) with the same key, and a given key as given", async () => {
    const { client, sent } = scripted([new TypeError("fetch failed"), json(200, reply)]);
    await client.gameEnded("KQ7XHD", { gameId: "g1", result: { winner: "a" } }, { idempotencyKey: "end-g1" });
    assert.deepEqual(
      sent.map((s) => s.headers["idempotency-key"]),
      ["end-g1", "end-g1"],
    );
  });

  it("backs off exponentially, stops after maxAttempts, and says how many attempts it made", async () => {
    const { client, sent, waits } = scripted(Array.from({ length: 4 }, () => json(503, unavailable)));
    const err = await client.heartbeat("KQ7XHD").catch((e: unknown) => e);
    assert.ok(err instanceof TavernApiError);
    assert.equal(err.code, "UNAVAILABLE");
    assert.equal(err.attempts, 4);
    assert.equal(sent.length, 4, "the default policy: 4 attempts");
    // Equal jitter with random 0.5: three quarters of 250, 500, 1000 ms.
    assert.deepEqual(waits, [188, 375, 750]);
  });

  it("throws a non-retryable refusal at once, typed, with its details", async () => {
    const conflict = {
      code: "VERSION_CONFLICT",
      message: "The room is at version 5, not 4.",
      retryable: false,
      details: { currentVersion: 5 },
    };
    const { client, sent } = scripted([json(409, conflict)]);
    const err = await client.setPlayer("KQ7XHD", "a", { status: "x", expectedVersion: 4 }).catch((e: unknown) => e);
    assert.ok(err instanceof TavernApiError);
    assert.equal(err.status, 409);
    assert.equal(err.code, "VERSION_CONFLICT");
    assert.equal(err.retryable, false);
    assert.deepEqual(err.details, { currentVersion: 5 });
    assert.equal(sent.length, 1);
  });

  it("does not wait a Retry-After longer than maxRetryAfterMs: the error says how long instead", async () => {
    const limited = { code: "RATE_LIMITED", message: "Too many.", retryable: true, details: { tier: "bulkWrites" } };
    const { client, sent } = scripted([json(429, limited, { "retry-after": "45" })]);
    const err = await client.bulkUpdate("KQ7XHD", { players: [{ playerId: "a", status: "x" }] }).catch((e: unknown) => e);
    assert.ok(err instanceof TavernApiError);
    assert.equal(err.retryAfterSeconds, 45);
    assert.equal(sent.length, 1);
  });

  it("reads a foreign error page by its status, and ends with a network error when nothing answers", async () => {
    const gateway = new Response("<html>bad gateway</html>", { status: 502 });
    const { client } = scripted([gateway, ...Array.from({ length: 3 }, () => new TypeError("fetch failed"))]);
    const err = await client.players("KQ7XHD").catch((e: unknown) => e);
    assert.ok(err instanceof TavernNetworkError, String(err));
    assert.equal(err.attempts, 4);
    assert.match(err.message, /no answer from http:\/\/tavern\.test/);
  });

  it("stops when the caller aborts, even between attempts", async () => {
    const controller = new AbortController();
    let calls = 0;
    const client = new TavernGameClient({
      baseUrl: "http://tavern.test",
      apiKey: "tvk_abc_secret",
      fetch: async () => (calls++, json(503, unavailable)),
      // The game shuts down while the client waits to retry.
      retry: { sleep: async () => controller.abort(new Error("game shut down")) },
    });
    const err = await client.players("KQ7XHD", { signal: controller.signal }).catch((e: unknown) => e);
    assert.match(String(err), /game shut down/);
    assert.equal(calls, 1);
  });

  describe("webhook endpoints", () => {
    const endpoint = {
      id: "wh_1",
      url: "https://game.example/hooks",
      events: ["player.joined"],
      roomCode: null,
      createdAt: "2026-06-01T18:00:00.000Z",
      enabled: true,
      disabledAt: null,
      disabledReason: null,
      consecutiveFailures: 0,
    };
    const notFound = { code: "NOT_FOUND", message: "This game has no webhook endpoint wh_1.", retryable: false };
    const limited = { code: "RATE_LIMITED", message: "Too many.", retryable: true, details: { tier: "statusWrites" } };

    it("sends each to its route and method, with a JSON body where it has one and never an Idempotency-Key", async () => {
      const { client, sent } = scripted([
        json(201, { ...endpoint, secret: "whsec_x" }),
        json(200, { webhooks: [endpoint] }),
        json(200, endpoint),
        json(200, { ...endpoint, enabled: false }),
        json(200, { endpoint, deliveries: [] }),
        new Response(null, { status: 204 }),
      ]);
      const registered = await client.registerWebhook({ url: endpoint.url, events: ["player.joined"], roomCode: "KQ7XHD" });
      assert.equal(registered.secret, "whsec_x");
      assert.deepEqual((await client.listWebhooks()).webhooks, [endpoint]);
      assert.equal((await client.getWebhook("wh_1")).id, "wh_1");
      assert.equal((await client.updateWebhook("wh_1", { enabled: false })).enabled, false);
      assert.deepEqual((await client.webhookDeliveries("wh/1")).deliveries, []);
      assert.equal(await client.deleteWebhook("wh_1"), undefined);
      assert.deepEqual(
        sent.map((s) => `${s.method} ${s.url}`),
        [
          "POST http://tavern.test/api/v1/games/webhooks",
          "GET http://tavern.test/api/v1/games/webhooks",
          "GET http://tavern.test/api/v1/games/webhooks/wh_1",
          "PATCH http://tavern.test/api/v1/games/webhooks/wh_1",
          "GET http://tavern.test/api/v1/games/webhooks/wh%2F1/deliveries",
          "DELETE http://tavern.test/api/v1/games/webhooks/wh_1",
        ],
      );
      assert.deepEqual(sent[0]!.body, { url: endpoint.url, events: ["player.joined"], roomCode: "KQ7XHD" });
      assert.deepEqual(sent[3]!.body, { enabled: false });
      assert.ok(sent.every((s) => s.headers["idempotency-key"] === undefined));
      assert.ok([1, 2, 4, 5].every((i) => sent[i]!.body === undefined && sent[i]!.headers["content-type"] === undefined));
    });

    it("registers again only after a spent rate limit: a lost answer or another retryable refusal is thrown at once", async () => {
      const retried = scripted([json(429, limited, { "retry-after": "1" }), json(201, { ...endpoint, secret: "whsec_x" })]);
      assert.equal((await retried.client.registerWebhook({ url: endpoint.url, events: ["player.joined"] })).secret, "whsec_x");
      assert.equal(retried.sent.length, 2);

      const lost = scripted([new TypeError("fetch failed"), json(201, { ...endpoint, secret: "whsec_x" })]);
      const err = await lost.client.registerWebhook({ url: endpoint.url, events: ["player.joined"] }).catch((e: unknown) => e);
      assert.ok(err instanceof TavernNetworkError, String(err));
      assert.equal(lost.sent.length, 1, "never sent twice: it could register two endpoints");

      const gateway = scripted([new Response("bad gateway", { status: 502 })]);
      const refused = await gateway.client.registerWebhook({ url: endpoint.url, events: ["player.joined"] }).catch((e: unknown) => e);
      assert.ok(refused instanceof TavernApiError);
      assert.equal(refused.code, "UNAVAILABLE");
      assert.equal(gateway.sent.length, 1);
    });

    it("takes a delete retried after a lost answer that finds the endpoint gone as done; a first 404 is thrown", async () => {
      const lost = scripted([new TypeError("fetch failed"), json(404, notFound)]);
      assert.equal(await lost.client.deleteWebhook("wh_1"), undefined);
      assert.equal(lost.sent.length, 2);

      const unknown = scripted([json(404, notFound)]);
      const err = await unknown.client.deleteWebhook("wh_1").catch((e: unknown) => e);
      assert.ok(err instanceof TavernApiError);
      assert.equal(err.code, "NOT_FOUND");
    });

    it("retries an enable like a read: it is the same change each time", async () => {
      const { client, sent } = scripted([new TypeError("fetch failed"), json(200, endpoint)]);
      assert.equal((await client.updateWebhook("wh_1", { enabled: true })).enabled, true);
      assert.equal(sent.length, 2);
    });
  });
});
