/**
 * The embedded database's folder: created on first open and opened again with its data, with PostgreSQL settings
 * sized for one connection. That the folder is created in a child process is not asserted here (the result is the
 * same either way); `npm run bench:memory` measures what it saves.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { createLogger } from "../../src/logger";
import { openDatabase, type Database } from "../../src/persistence/database";

describe("the embedded database folder", function () {
  this.timeout(60_000);
  let root: string;
  let database: Database | undefined;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "tavern-pglite-"));
  });
  afterEach(async () => {
    await database?.close();
    database = undefined;
    rmSync(root, { recursive: true, force: true });
  });

  const setting = async (db: Database, name: string): Promise<string> => {
    const result = await db.db.execute(sql.raw(`show ${name}`));
    return String((result as unknown as { rows: Array<Record<string, unknown>> }).rows[0]?.[name]);
  };

  it("is created on first open, migrated, and opened again with the same data", async () => {
    const dir = join(root, "pglite");
    database = await openDatabase({ pgliteDir: dir }, createLogger("silent"));
    assert.ok(existsSync(join(dir, "PG_VERSION")), "no PostgreSQL folder was created");
    await database.db.execute(sql.raw("create table kept (v text)"));
    await database.db.execute(sql.raw("insert into kept values ('still here')"));
    await database.close();

    database = await openDatabase({ pgliteDir: dir }, createLogger("silent"));
    const rows = (await database.db.execute(sql.raw("select v from kept"))) as unknown as { rows: Array<{ v: string }> };
    assert.deepEqual(rows.rows, [{ v: "still here" }]);
  });

  it("runs with small shared buffers and few connections, on a new folder and a reopened one", async () => {
    const dir = join(root, "pglite");
    for (let open = 0; open < 2; open++) {
      database = await openDatabase({ pgliteDir: dir }, createLogger("silent"));
      assert.equal(await setting(database, "shared_buffers"), "4MB");
      assert.equal(await setting(database, "max_connections"), "5");
      await database.close();
      database = undefined;
    }
  });
});
