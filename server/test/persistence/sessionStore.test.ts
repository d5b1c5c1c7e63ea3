import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { TavernError } from "@tavern/shared/errors";
import { emptyTable, newActor, newCharacter } from "@tavern/shared/table/document";
import type { UpdateRecord } from "@tavern/shared/table/operations";
import { MIGRATIONS_FOLDER, type Database } from "../../src/persistence/database";
import { isUniqueViolation, SessionStore } from "../../src/persistence/sessionStore";
import { TableSession, restoreSession } from "../../src/domain/table/session";
import { genericPlugin } from "../../src/domain/table/plugins/generic";
import { testDatabases, type TestDatabase } from "../support/testDatabase";

for (const makeDatabase of testDatabases()) {
  describe(`session store on ${makeDatabase().name}`, function () {
    this.timeout(30_000);
    let test: TestDatabase;
    let database: Database;
    let store: SessionStore;

    // One database for the describe block (PGlite takes a second or two to start); sessions are independent.
    before(async () => {
      test = makeDatabase();
      database = await test.open();
      store = new SessionStore(database.db);
    });
    after(async () => test.dispose());

    async function newSession(code = randomCode(), gmPlayerId = "gm") {
      const session = new TableSession(emptyTable("Crypt", "generic"), { version: 0, publicVersion: 0 }, genericPlugin);
      const id = randomUUID();
      await store.create({
        id,
        code,
        title: "Crypt",
        gmPlayerId,
        pluginId: "generic",
        doc: session.doc,
        version: 0,
        hash: session.hash,
        publicVersion: 0,
      });
      return { id, session };
    }

    function commit(session: TableSession, ops: UpdateRecord["ops"]): UpdateRecord {
      const prepared = session.prepare(ops, { authorId: "gm", kind: "update", baseVersion: session.version });
      session.accept(prepared);
      return prepared.record;
    }

    it("appends updates in order, moves the head, and reloads snapshot + log into the same session", async () => {
      const { id, session } = await newSession();
      await store.append(
        id,
        commit(session, [{ op: "set", path: "actors.g1", value: newActor({ name: "Goblin", hidden: true }) as never }]),
      );
      await store.append(id, commit(session, [{ op: "set", path: "characters.c1", value: newCharacter({ name: "Aria" }) as never }]));
      await store.snapshot(id, { doc: session.doc, version: session.version, hash: session.hash, publicVersion: session.publicVersion });
      await store.append(id, commit(session, [{ op: "inc", path: "characters.c1.hp", value: -3 }]));
      await store.append(id, commit(session, [{ op: "set", path: "actors.g1.x", value: 2 }]));
      await store.append(id, commit(session, [{ op: "set", path: "title", value: "Tomb" }]));

      const stored = await store.load(id);
      assert.ok(stored);
      assert.equal(stored.meta.headVersion, 5);
      assert.equal(stored.meta.headHash, session.hash);
      assert.equal(stored.snapshotVersion, 2);
      assert.equal(stored.snapshotPublicVersion, 1, "the hidden goblin's creation was no public change");
      assert.deepEqual(
        stored.updates.map((u) => u.version),
        [3, 4, 5],
      );
      const restored = restoreSession({ ...stored, headVersion: stored.meta.headVersion, headHash: stored.meta.headHash }, genericPlugin);
      assert.equal(restored.hash, session.hash);
      assert.equal(restored.doc.title, "Tomb");
      assert.deepEqual(restored.stamp, session.stamp, "the public version counted on over the log as the live session did");
      assert.equal(restored.publicVersion, 3);
      assert.deepEqual(
        (await store.log(id)).map((u) => u.version),
        [1, 2, 3, 4, 5],
      );
    });

    it("refuses a version written twice or out of order, and keeps the log as it was", async () => {
      const { id, session } = await newSession();
      const first = commit(session, [{ op: "set", path: "title", value: "A" }]);
      await store.append(id, first);
      await assert.rejects(store.append(id, first), (err: unknown) => err instanceof TavernError && err.code === "VERSION_CONFLICT");
      const skipped = { ...first, version: 5 };
      await assert.rejects(store.append(id, skipped), (err: unknown) => err instanceof TavernError && err.code === "VERSION_CONFLICT");
      assert.deepEqual(
        (await store.log(id)).map((u) => u.version),
        [1],
      );
    });

    it("an older snapshot never replaces a newer one", async () => {
      const { id, session } = await newSession();
      const old = { doc: session.doc, hash: session.hash };
      for (let i = 0; i < 3; i++) await store.append(id, commit(session, [{ op: "set", path: "title", value: `T${i}` }]));
      await store.snapshot(id, { doc: session.doc, version: 3, hash: session.hash, publicVersion: 3 });
      await store.snapshot(id, { doc: old.doc, version: 1, hash: old.hash, publicVersion: 1 });
      const stored = await store.load(id);
      assert.equal(stored?.snapshotVersion, 3);
      assert.equal(stored?.snapshotPublicVersion, 3);
      assert.equal(stored?.snapshot.title, "T2");
      assert.equal(stored?.updates.length, 0);
    });

    it("codes are unique across stored sessions; lookups by code and by GM", async () => {
      const code = randomCode();
      const [gm, gm2] = [randomUUID(), randomUUID()];
      const { id } = await newSession(code, gm);
      await assert.rejects(newSession(code), (err: unknown) => isUniqueViolation(err));
      assert.equal(await store.idForCode(code), id);
      assert.equal(await store.idForCode("ZZZZZZ"), undefined);
      await store.setGm(id, gm2);
      assert.deepEqual(
        (await store.listByGm(gm2)).map((s) => s.id),
        [id],
      );
      assert.equal((await store.listByGm(gm)).length, 0);
    });

    it("an import's digest names its session for its importer only, and one importer cannot store the same digest twice", async () => {
      const [alice, bob] = [randomUUID(), randomUUID()];
      const digest = "d".repeat(64);
      const imported = async (by: string) => {
        const session = new TableSession(emptyTable("Copy", "generic"), { version: 0, publicVersion: 0 }, genericPlugin);
        const id = randomUUID();
        const code = randomCode();
        await store.createWithLog(
          {
            id,
            code,
            title: "Copy",
            gmPlayerId: by,
            pluginId: "generic",
            doc: session.doc,
            version: 0,
            hash: session.hash,
            publicVersion: 0,
            imported: { by, digest },
          },
          [],
        );
        return { id, code };
      };
      const first = await imported(alice);
      assert.deepEqual(await store.findImport(alice, digest), first);
      assert.equal(await store.findImport(bob, digest), undefined);
      assert.equal(await store.findImport(alice, "e".repeat(64)), undefined);
      await assert.rejects(imported(alice), (err: unknown) => isUniqueViolation(err));
      assert.deepEqual(await store.findImport(alice, digest), first, "the refused twin stored nothing");
      await imported(bob);
      // Sessions that were not imported have no digest and never collide.
      await newSession(randomCode(), alice);
      await newSession(randomCode(), alice);
    });

    it("migrations apply to an empty database and to one from before the import digest", async () => {
      const [empty, previous] = [makeDatabase(), makeDatabase()];
      try {
        await checkMigrations(empty, previous);
      } finally {
        await Promise.all([empty.dispose(), previous.dispose()]);
      }
    });

    const ALL_TABLES = [
      "accounts",
      "api_keys",
      "idempotency_records",
      "room_events",
      "session_journal",
      "session_updates",
      "sessions",
      "webhook_attempts",
      "webhook_deliveries",
      "webhook_endpoints",
      "webhook_events",
    ];

    async function checkMigrations(empty: TestDatabase, test: TestDatabase): Promise<void> {
      const database = await empty.open();
      const tables = async (db: Database) => {
        const result = await db.db.execute(
          sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
        );
        // PGlite and pg both answer { rows }; the shared PgDatabase type does not say which shape.
        return (result as unknown as { rows: { table_name: string }[] }).rows.map((r) => r.table_name);
      };
      assert.deepEqual(await tables(database), ALL_TABLES);
      await database.close();

      // A database of the first four migrations (before the import digest, the public version, the platform and webhook tables), with a session in it, then brought up to date.
      const previousMigrations = migrationsUpTo(4);
      const old = await test.open(previousMigrations);
      assert.deepEqual(await tables(old), ["room_events", "session_journal", "session_updates", "sessions"]);
      assert.deepEqual(await importColumns(old), [], "no import digest yet");
      assert.deepEqual(await publicVersionColumn(old), [], "no public version yet");
      // Plain SQL with the columns sessions has had since the first migration: today's SessionStore may write newer ones.
      const session = new TableSession(emptyTable("Old", "generic"), { version: 7, publicVersion: 7 }, genericPlugin);
      const oldId = randomUUID();
      await old.db
        .execute(sql`insert into sessions (id, code, title, gm_player_id, plugin_id, snapshot, snapshot_version, snapshot_hash, head_version, head_hash)
        values (${oldId}, 'OLDSES', 'Old', 'gm', 'generic', ${JSON.stringify(session.doc)}::jsonb, 7, ${session.hash}, 7, ${session.hash})`);
      rmSync(previousMigrations, { recursive: true, force: true });
      if (test.name === "PostgreSQL") await old.close();
      const upgraded = await reopenSame(test, old);
      assert.deepEqual(await tables(upgraded), ALL_TABLES);
      const upgradedStore = new SessionStore(upgraded.db);
      assert.equal(await upgradedStore.idForCode("OLDSES"), oldId, "data from before the migration is still there");
      const upgradedSession = await upgradedStore.load(oldId);
      assert.deepEqual(upgradedSession?.roomSettings, {}, "room settings have their default");
      assert.equal(
        upgradedSession?.snapshotPublicVersion,
        7,
        "a session stored before public versions starts at its snapshot's version, which players saw then",
      );
      assert.deepEqual(await publicVersionColumn(upgraded), ["snapshot_public_version"]);
      assert.deepEqual(await importColumns(upgraded), ["import_digest", "imported_by"]);
      const columns = await upgraded.db.execute(sql`select imported_by, import_digest from sessions where id = ${oldId}`);
      assert.deepEqual(
        (columns as unknown as { rows: unknown[] }).rows,
        [{ imported_by: null, import_digest: null }],
        "a session from before was not imported",
      );
    }

    async function importColumns(db: Database): Promise<string[]> {
      const result = await db.db.execute(
        sql`select column_name from information_schema.columns where table_name = 'sessions' and column_name in ('imported_by', 'import_digest') order by column_name`,
      );
      return (result as unknown as { rows: { column_name: string }[] }).rows.map((r) => r.column_name);
    }

    async function publicVersionColumn(db: Database): Promise<string[]> {
      const result = await db.db.execute(
        sql`select column_name from information_schema.columns where table_name = 'sessions' and column_name = 'snapshot_public_version'`,
      );
      return (result as unknown as { rows: { column_name: string }[] }).rows.map((r) => r.column_name);
    }
  });
}

/** Reopens the same database with every migration (PGlite in memory: migrate the open one). */
async function reopenSame(test: TestDatabase, old: Database): Promise<Database> {
  if (test.name === "PGlite") {
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    await migrate(old.db as never, { migrationsFolder: MIGRATIONS_FOLDER });
    return old;
  }
  return test.open();
}

/** A copy of the migrations folder without the last `drop` migrations. */
/** A copy of the migrations folder whose journal lists the first `count` migrations only. */
function migrationsUpTo(count: number): string {
  const dir = mkdtempSync(join(tmpdir(), "tavern-migrations-"));
  cpSync(MIGRATIONS_FOLDER, dir, { recursive: true });
  const journalFile = join(dir, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalFile, "utf8")) as { entries: unknown[] };
  journal.entries = journal.entries.slice(0, count);
  writeFileSync(journalFile, JSON.stringify(journal));
  return dir;
}

function randomCode(): string {
  const alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
  return Array.from({ length: 6 }, () => alphabet[Math.floor(Math.random() * alphabet.length)]).join("");
}
