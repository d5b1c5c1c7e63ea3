/** `npm run db -- stats|prune` on an embedded database folder, and its refusal while a server holds the folder. */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { emptyTable } from "@tavern/shared/table/document";
import { createLogger } from "../../src/logger";
import { openDatabase, pgliteDirFor } from "../../src/persistence/database";
import { SessionStore } from "../../src/persistence/sessionStore";
import { TableSession } from "../../src/domain/table/session";
import { genericPlugin } from "../../src/domain/table/plugins/generic";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The CLI as an operator runs it, on `dataDir` (DATABASE_URL left out: this is about the embedded folder). */
function db(dataDir: string, ...args: string[]): Promise<Run> {
  const { DATABASE_URL: _url, ...env } = process.env;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "scripts/db.ts", ...args],
      { cwd: ROOT, env: { ...env, DATA_DIR: dataDir, LOG_LEVEL: "silent" }, timeout: 60_000 },
      (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe("npm run db", function () {
  this.timeout(120_000);
  let dataDir: string;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "tavern-db-cli-"));
    // A session with 4 updates and its snapshot at the third: 3 rows of log to compact.
    const database = await openDatabase({ pgliteDir: pgliteDirFor(dataDir) }, createLogger("silent"));
    const store = new SessionStore(database.db);
    const live = new TableSession(emptyTable("Cli", "generic"), { version: 0, publicVersion: 0 }, genericPlugin);
    const id = randomUUID();
    await store.create({
      ...{ id, code: "CLICLI", title: "Cli", gmPlayerId: "gm", pluginId: "generic" },
      ...{ doc: live.doc, version: 0, hash: live.hash, publicVersion: 0 },
    });
    for (let v = 1; v <= 4; v++) {
      const prepared = live.prepare([{ op: "set", path: "title", value: `T${v}` }], {
        authorId: "gm",
        kind: "update",
        baseVersion: live.version,
      });
      live.accept(prepared);
      await store.append(id, prepared.record);
      if (v === 3) await store.snapshot(id, { doc: live.doc, version: 3, hash: live.hash, publicVersion: live.publicVersion });
    }
    await database.close();
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it("stats prints every table's rows and size, and --json the same as data", async () => {
    const run = await db(dataDir, "stats");
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^database: pglite .*pglite$/m);
    assert.match(run.stdout, /^table +rows +size$/m);
    assert.match(run.stdout, /^sessions +1 +\d+(\.\d)? kB$/m);
    assert.match(run.stdout, /^session_updates +4 +/m);
    for (const table of ["session_journal", "room_events", "api_keys", "idempotency_records"])
      assert.match(run.stdout, new RegExp(`^${table} +0 +`, "m"));

    const json = await db(dataDir, "stats", "--json");
    assert.equal(json.code, 0, json.stderr);
    const parsed = JSON.parse(json.stdout) as { tables: Array<{ table: string; rows: number; bytes: number }> };
    assert.equal(parsed.tables.find((t) => t.table === "session_updates")?.rows, 4);
    assert.ok((parsed.tables.find((t) => t.table === "sessions")?.bytes ?? 0) > 0);
  });

  it("prune applies the settings now and says what it deleted", async () => {
    const run = await db(dataDir, "prune");
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /update log: compacted to the updates after each snapshot/);
    assert.match(run.stdout, /^session_updates: 3 rows deleted$/m);
    assert.match(run.stdout, /^session_updates +1 +/m, "the stats after it");
  });

  it("refuses, in one line and with its own exit code, a folder a running server holds", async () => {
    const server = await openDatabase({ pgliteDir: pgliteDirFor(dataDir) }, createLogger("silent"));
    try {
      const run = await db(dataDir, "stats");
      assert.equal(run.code, 3);
      assert.equal(run.stdout, "");
      assert.match(
        run.stderr.trim(),
        new RegExp(
          `^The embedded database in .*pglite is in use by a running server \\(process ${process.pid}, since [^)]+\\)\\. Stop it first`,
        ),
      );
      assert.equal(run.stderr.trim().split("\n").length, 1, "no stack trace");
    } finally {
      await server.close();
    }
  });

  it("says so when there is no database in DATA_DIR, and knows no unknown command", async () => {
    const empty = mkdtempSync(join(tmpdir(), "tavern-db-cli-empty-"));
    try {
      const none = await db(empty, "stats");
      assert.equal(none.code, 2);
      assert.match(none.stderr, /There is no embedded database in .*: set DATA_DIR to the server's, or DATABASE_URL\./);
      const unknown = await db(empty, "vacuum");
      assert.equal(unknown.code, 2);
      assert.match(unknown.stderr, /Unknown command "vacuum"/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
