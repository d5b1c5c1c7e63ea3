import assert from "node:assert/strict";
import { createLogger } from "../../src/logger";
import { Metrics } from "../../src/observability/metrics";
import { AUDIT_BATCH_MS, AuditLog, type AuditEvent } from "../../src/persistence/auditLog";
import type { Database } from "../../src/persistence/database";
import { testDatabases, type TestDatabase } from "../support/testDatabase";

for (const makeDatabase of testDatabases()) {
  describe(`audit log on ${makeDatabase().name}`, function () {
    this.timeout(30_000);
    let test: TestDatabase;
    let database: Database;
    let metrics: Metrics;
    let audit: AuditLog;

    before(async () => {
      test = makeDatabase();
      database = await test.open();
    });
    beforeEach(() => {
      metrics = new Metrics();
      audit = new AuditLog(database.db, createLogger("silent"), metrics, {
        policy: { attempts: 3, firstDelayMs: 1, factor: 2, maxDelayMs: 10 },
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        random: () => 0,
      });
    });
    after(async () => test.dispose());

    const event = (roomId: string, n: number, details: Record<string, unknown> = { n }): AuditEvent => ({
      roomId,
      roomType: "space",
      code: "ABCDEF",
      kind: "joined",
      playerId: `p${n}`,
      details,
    });

    async function failures(): Promise<number> {
      const metric = await metrics.persistenceFailures.get();
      return metric.values.find((v) => v.labels["operation"] === "audit")?.value ?? 0;
    }

    it("writes a burst of events in few statements and keeps their order", async () => {
      for (let n = 0; n < 1200; n++) audit.record(event("burst", n));
      await audit.flush();
      const stored = await audit.forRoom("burst");
      assert.deepEqual(
        stored.map((e) => e.details["n"]),
        Array.from({ length: 1200 }, (_, n) => n),
      );
      const writes = await metrics.persistenceWrite.get();
      const statements = writes.values.find((v) => v.metricName?.endsWith("_count") && v.labels["operation"] === "audit")?.value;
      assert.equal(statements, 3, "1,200 events in statements of at most 500 rows");
    });

    it("writes on its own within the batch window, without a flush", async () => {
      audit.record(event("timer", 1));
      assert.equal((await audit.forRoom("timer")).length, 0, "not written synchronously");
      await new Promise((resolve) => setTimeout(resolve, AUDIT_BATCH_MS * 6));
      assert.equal((await audit.forRoom("timer")).length, 1);
    });

    it("an event the database refuses costs only that event; the others of its batch are stored", async () => {
      audit.record(event("mixed", 1));
      audit.record({ ...event("mixed", 2), code: "bad\u0000code" }); // PostgreSQL text refuses NUL
      audit.record(event("mixed", 3));
      await audit.flush();
      assert.deepEqual(
        (await audit.forRoom("mixed")).map((e) => e.playerId),
        ["p1", "p3"],
      );
      // The batch once (a refused value is not retried), then the one event alone.
      assert.equal(await failures(), 2);
      assert.equal(await written("ok"), 2);
      assert.equal(await written("failed"), 1);
    });

    async function written(outcome: string): Promise<number> {
      const metric = await metrics.backgroundWrites.get();
      return metric.values.find((v) => v.labels["operation"] === "audit" && v.labels["outcome"] === outcome)?.value ?? 0;
    }

    it("a batch the database fails now and takes a moment later is tried again, and counted as retried", async () => {
      const db = database.db;
      let refusals = 2;
      const flaky = new Proxy(db, {
        get(target, prop, receiver) {
          if (prop === "execute" && refusals > 0) {
            refusals--;
            return () => Promise.reject(Object.assign(new Error("connection lost"), { code: "ECONNRESET" }));
          }
          return Reflect.get(target, prop, receiver) as unknown;
        },
      });
      const retrying = new AuditLog(flaky, createLogger("silent"), metrics, {
        policy: { attempts: 3, firstDelayMs: 1, factor: 2, maxDelayMs: 10 },
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        random: () => 0,
      });
      retrying.record(event("flaky", 1));
      retrying.record(event("flaky", 2));
      await retrying.flush();
      assert.deepEqual(
        (await audit.forRoom("flaky")).map((e) => e.playerId),
        ["p1", "p2"],
      );
      assert.equal(await written("retried"), 2, "two events, landed on the third try");
      assert.equal(await failures(), 2);
    });
  });
}
