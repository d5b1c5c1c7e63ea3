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
