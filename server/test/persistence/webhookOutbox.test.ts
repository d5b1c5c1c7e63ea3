/**
 * The webhook outbox and its dispatchers on the database alone (no HTTP): events reach only the
 * endpoints listening to them, several dispatchers on one database (as several processes run
 * them) send each delivery once, a lease left by a dispatcher that stalled is taken over and the
 * stalled one cannot settle the delivery afterwards, and old events are pruned.
 */
import assert from "node:assert/strict";
import { eq, sql } from "drizzle-orm";
import type { WebhookConfig } from "../../src/config";
import type { RoomEvent } from "../../src/domain/webhooks/events";
import { createLogger } from "../../src/logger";
import { Metrics } from "../../src/observability/metrics";
import type { Database } from "../../src/persistence/database";
import { rowsOf } from "../../src/persistence/rawRows";
import { webhookDeliveries, webhookEndpoints } from "../../src/persistence/schema";
import { WebhookDispatcher } from "../../src/platform/webhookDispatcher";
import { LISTENING_CACHE_MS, WebhookEndpointStore } from "../../src/platform/webhookEndpoints";
import { WebhookOutbox } from "../../src/platform/webhookOutbox";
import type { OutgoingDelivery, SendWebhook } from "../../src/platform/webhookSender";
import { sleep, waitFor } from "../support/wait";
import { testDatabases, type TestDatabase } from "../support/testDatabase";

const config: WebhookConfig = {
  timeoutMs: 1000,
  maxAttempts: 3,
  retryBaseMs: 20,
  retryMaxMs: 50,
  disableAfterFailures: 2,
  pollMs: 50,
  concurrency: 4,
  retentionHours: 1,
  allowLoopback: false, // sends are faked here
};

/** The one query shape the listening read makes, held back by a test. */
interface SelectChain {
  from(table: unknown): { where(where: unknown): { limit(n: number): Promise<unknown[]> } };
}

const launch = (code: string, at = new Date()): RoomEvent => ({
  type: "game.launch_requested",
  room: { code, type: "space" },
  data: { requestedBy: "host" },
  occurredAt: at,
});

for (const makeDatabase of testDatabases()) {
  describe(`webhook outbox and dispatchers on ${makeDatabase().name}`, function () {
    this.timeout(30_000);
    const logger = createLogger("silent");
    let test: TestDatabase;
    let database: Database;
    let metrics: Metrics;
    let endpoints: WebhookEndpointStore;
    let outbox: WebhookOutbox;
    const dispatchers: WebhookDispatcher[] = [];

    before(async () => {
      test = makeDatabase();
      database = await test.open();
      metrics = new Metrics();
      endpoints = new WebhookEndpointStore(database.db);
      outbox = new WebhookOutbox(database.db, logger, metrics);
    });
    afterEach(async () => {
      await Promise.all(dispatchers.splice(0).map((d) => d.stop()));
      await database.db.delete(webhookEndpoints);
      await database.db.execute(sql`delete from webhook_events`);
    });
    after(async () => {
      metrics.close();
      await test.dispose();
    });

    const dispatcher = (send: SendWebhook, now?: () => number) => {
      const started = new WebhookDispatcher({ db: database.db, config, metrics, logger, send, ...(now ? { now } : {}) });
      dispatchers.push(started);
      return started;
    };
    const count = async (table: string) =>
      Number(rowsOf<{ n: unknown }>(await database.db.execute(sql.raw(`select count(*) as n from ${table}`)))[0]!.n);
    const states = async () => (await database.db.select().from(webhookDeliveries)).map((d) => d.state);

    it("stores an event only for the endpoints listening to it: its type, its room or every room, enabled", async () => {
      const all = await endpoints.register({
        lineage: "game",
        url: "https://a.example/h",
        events: ["game.launch_requested"],
        roomCode: null,
      });
      await endpoints.register({ lineage: "game", url: "https://b.example/h", events: ["game.launch_requested"], roomCode: "AAAAAA" });
      await endpoints.register({ lineage: "game", url: "https://c.example/h", events: ["player.joined"], roomCode: null });
      const off = await endpoints.register({
        lineage: "game",
        url: "https://d.example/h",
        events: ["game.launch_requested"],
        roomCode: null,
      });
      await endpoints.setEnabled(off.id, "game", false);

      outbox.emit(launch("AAAAAA"));
      outbox.emit(launch("BBBBBB"));
      await outbox.flush();
      const rows = await database.db.select().from(webhookDeliveries);
      const to = async (code: string) =>
        rowsOf<{ endpoint_id: string }>(
          await database.db.execute(
            sql`select d.endpoint_id from webhook_deliveries d join webhook_events e on e.id = d.event_id where e.room_code = ${code} order by d.endpoint_id`,
          ),
        ).map((r) => r.endpoint_id);
      assert.equal(rows.length, 3);
      assert.equal((await to("AAAAAA")).length, 2);
      assert.deepEqual(await to("BBBBBB"), [all.id]);

      // With nobody listening, an event is not stored at all (stored ones wait for the pruning).
      await database.db.delete(webhookEndpoints);
      assert.equal(await count("webhook_deliveries"), 0, "deleting an endpoint deletes its deliveries");
      const stored = await count("webhook_events");
      outbox.emit(launch("AAAAAA"));
      await outbox.flush();
      assert.equal(await count("webhook_events"), stored);
    });

    it("while no endpoint is enabled, events are skipped before the database; a registration, an enabling or another process's word is seen at once", async () => {
      let clock = 1_000_000;
      let tellOthers: (() => void) | undefined;
      const published: number[] = [];
      const store = new WebhookEndpointStore(database.db, () => new Date(clock), {
        publish: () => published.push(clock),
        subscribe: (onChange) => (tellOthers = onChange),
      });
      const gated = new WebhookOutbox(database.db, logger, metrics, () => store.mayListen());
      const writes = async () =>
        (await metrics.persistenceWrite.get()).values.find(
          (v) => v.labels["operation"] === "webhook_outbox" && v.metricName?.endsWith("_count"),
        )?.value ?? 0;
      assert.equal(store.mayListen(), true, "unknown at first: stored as if someone listened");
      await waitFor("the first read", async () => !store.mayListen());
      const before = await writes();
      gated.emit(launch("AAAAAA"));
      await gated.flush();
      assert.equal(await writes(), before, "nobody listens: no statement at all");

      const hook = await store.register({ lineage: "game", url: "https://a.example/h", events: ["game.launch_requested"], roomCode: null });
      assert.deepEqual(published, [clock], "the other processes are told");
      assert.equal(store.mayListen(), true, "the new endpoint is seen at once");
      gated.emit(launch("AAAAAA"));
      await gated.flush();
      assert.equal(await count("webhook_deliveries"), 1, "the first event after the registration is delivered");

      await store.setEnabled(hook.id, "game", false);
      clock += LISTENING_CACHE_MS;
      await waitFor("the disabling read once the answer is stale", async () => !store.mayListen());
      clock += LISTENING_CACHE_MS;
      assert.equal(store.mayListen(), true, "a stale 'nobody listens' is not trusted while it is read again");
      await waitFor("the stale answer read again", async () => !store.mayListen());
      await database.db.update(webhookEndpoints).set({ disabledAt: null }); // as another process enabling it
      assert.equal(store.mayListen(), false, "not told yet");
      tellOthers!();
      assert.equal(store.mayListen(), true, "told by another process: unknown until read again");
      await sleep(50);
      // Disabled again behind the store's back: a known, fresh "enabled" holds; an unknown one would read "nobody".
      await database.db.update(webhookEndpoints).set({ disabledAt: new Date(clock) });
      await sleep(50);
      assert.equal(store.mayListen(), true, "read again: enabled, and trusted while fresh");
    });

    it("a read begun before a registration does not overwrite what the registration made known", async () => {
      let release: (() => void) | undefined;
      const slowDb = new Proxy(database.db, {
        get(target, prop, receiver) {
          if (prop === "select" && release === undefined) {
            const gate = new Promise<void>((resolve) => (release = resolve));
            const select = target.select.bind(target) as (fields: unknown) => SelectChain;
            return (fields: unknown): SelectChain => ({
              from: (table) => ({
                where: (where) => ({ limit: (n) => gate.then(() => select(fields).from(table).where(where).limit(n)) }),
              }),
            });
          }
          return Reflect.get(target, prop, receiver) as unknown;
        },
      });
      const store = new WebhookEndpointStore(slowDb);
      assert.equal(store.mayListen(), true);
      await waitFor("the read is in flight", async () => release !== undefined);
      // The slow read will find no endpoint; the registration lands before it answers.
      await store.register({ lineage: "game", url: "https://a.example/h", events: ["player.joined"], roomCode: null });
      await database.db.delete(webhookEndpoints); // so the slow read's answer would be "nobody"
      release!();
      await sleep(50);
      assert.equal(store.mayListen(), true, "the old read's 'nobody' was dropped");
    });

    it("three dispatchers on one database send each of 40 deliveries exactly once", async () => {
      await endpoints.register({ lineage: "game", url: "https://a.example/h", events: ["game.launch_requested"], roomCode: null });
      const sent = new Map<string, number>();
      const send: SendWebhook = async (delivery: OutgoingDelivery) => {
        sent.set(delivery.eventId, (sent.get(delivery.eventId) ?? 0) + 1);
        await sleep(Math.random() * 15);
        return { statusCode: 200, durationMs: 1 };
      };
      const ids = Array.from({ length: 40 }, (_, i) => outbox.emit(launch(`ROOM${String(i).padStart(2, "0")}`)));
      await outbox.flush();
      for (let i = 0; i < 3; i++) dispatcher(send).start();
      await waitFor("all delivered", async () => (await states()).every((s) => s === "delivered"));
      assert.deepEqual([...sent.keys()].sort(), [...ids].sort());
      assert.deepEqual(new Set(sent.values()), new Set([1]), "no delivery sent twice");
      assert.equal(await count("webhook_attempts"), 40);
    });

    it("takes over a lease that ran out; the stalled dispatcher's late answer settles nothing", async () => {
      await endpoints.register({ lineage: "game", url: "https://a.example/h", events: ["game.launch_requested"], roomCode: null });
      let release: (() => void) | undefined;
      const stalled = dispatcher(async () => {
        await new Promise<void>((resolve) => (release = resolve));
        return { statusCode: 500, durationMs: 1 };
      });
      outbox.emit(launch("AAAAAA"));
      await outbox.flush();
      stalled.start();
      await waitFor("the stalled dispatcher holds the delivery", () => release !== undefined);

      // Another process, later than the lease: the row is claimable again.
      const later = dispatcher(
        async () => ({ statusCode: 200, durationMs: 1 }),
        () => Date.now() + config.timeoutMs + 60_000,
      );
      later.wake();
      await waitFor("delivered by the other dispatcher", async () => (await states())[0] === "delivered");
      release!();
      await stalled.stop();
      const [row] = await database.db.select().from(webhookDeliveries);
      assert.equal(row!.state, "delivered", "the late 500 did not undo the delivery");
      assert.equal(row!.attempts, 2);
    });

    it("prunes events older than the retention, with their deliveries", async () => {
      const endpoint = await endpoints.register({
        lineage: "game",
        url: "https://a.example/h",
        events: ["game.launch_requested"],
        roomCode: null,
      });
      outbox.emit(launch("AAAAAA", new Date(Date.now() - 2 * 3_600_000)));
      outbox.emit(launch("AAAAAA"));
      await outbox.flush();
      const pruner = dispatcher(async () => ({ statusCode: 200, durationMs: 1 }));
      assert.equal(await pruner.prune(), 1);
      assert.equal(await count("webhook_events"), 1);
      assert.equal((await database.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpoint.id))).length, 1);
    });
  });
}
