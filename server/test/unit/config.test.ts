import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "../../src/config";

describe("loadConfig", () => {
  it("fills defaults from an empty environment", () => {
    const c = loadConfig({});
    assert.equal(c.port, 2567);
    assert.equal(c.adminUser, "admin");
    assert.equal(c.adminPassword, undefined);
    assert.equal(c.reconnectGraceSeconds, 30);
    assert.equal(c.dataDir, "./data");
    assert.equal(c.databaseUrl, undefined, "the embedded PGlite by default");
    assert.equal(c.snapshotEvery, 50);
    assert.deepEqual(c.importLimits, {
      maxBytes: 10 * 1024 * 1024,
      maxEntities: 5000,
      maxUpdates: 1000,
      perPlayerPerHour: 10,
      perIpPerHour: 30,
    });
    assert.equal(c.webhooks.allowLoopback, false, "no webhook reaches this machine unless the operator says so");
    assert.equal(loadConfig({ WEBHOOK_ALLOW_LOOPBACK: "true" }).webhooks.allowLoopback, true);
  });
  it("bounds the import limits", () => {
    const c = loadConfig({
      IMPORT_MAX_BYTES: "65536",
      IMPORT_MAX_ENTITIES: "100",
      IMPORT_MAX_UPDATES: "0",
      IMPORT_RATE_PER_PLAYER_PER_HOUR: "2",
      IMPORT_RATE_PER_IP_PER_HOUR: "4",
    });
    assert.deepEqual(c.importLimits, { maxBytes: 65536, maxEntities: 100, maxUpdates: 0, perPlayerPerHour: 2, perIpPerHour: 4 });
    assert.throws(() => loadConfig({ IMPORT_MAX_ENTITIES: "5001" }), /IMPORT_MAX_ENTITIES="5001"/, "no more than a session may hold");
    assert.throws(() => loadConfig({ IMPORT_MAX_BYTES: "100" }), /IMPORT_MAX_BYTES="100"/);
    assert.throws(() => loadConfig({ IMPORT_RATE_PER_IP_PER_HOUR: "0" }), /IMPORT_RATE_PER_IP_PER_HOUR="0"/);
  });
  it("accepts a PostgreSQL URL and refuses anything else", () => {
    assert.equal(loadConfig({ DATABASE_URL: "postgres://u@db:5432/tavern" }).databaseUrl, "postgres://u@db:5432/tavern");
    assert.throws(() => loadConfig({ DATABASE_URL: "mysql://db/tavern" }), /DATABASE_URL="mysql:\/\/db\/tavern": must be a postgres/);
    assert.throws(() => loadConfig({ SNAPSHOT_EVERY: "0" }), /SNAPSHOT_EVERY="0"/);
  });
  it("treats empty strings as unset and coerces numbers", () => {
    const c = loadConfig({ PORT: "", RECONNECT_GRACE_SECONDS: "5" });
    assert.equal(c.port, 2567);
    assert.equal(c.reconnectGraceSeconds, 5);
  });
  it("names every bad variable with its value", () => {
    assert.throws(
      () => loadConfig({ PORT: "eighty", ADMIN_PASSWORD: "short", LOG_LEVEL: "loud" }),
      (err: unknown) =>
        err instanceof ConfigError &&
        err.problems.length === 3 &&
        /PORT="eighty"/.test(err.message) &&
        /ADMIN_PASSWORD/.test(err.message) &&
        /LOG_LEVEL="loud"/.test(err.message),
    );
  });
});
