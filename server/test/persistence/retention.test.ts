import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { emptyTable, newCharacter } from "@tavern/shared/table/document";
import type { JournalEntry } from "@tavern/shared/table/journal";
import type { UpdateRecord } from "@tavern/shared/table/operations";
import type { CodeRegistry } from "../../src/lifecycle/codeRegistry";
import { createLogger } from "../../src/logger";
import { Metrics } from "../../src/observability/metrics";
import type { Database } from "../../src/persistence/database";
import { prune } from "../../src/persistence/retention/prune";
import type { RetentionPolicy } from "../../src/persistence/retention/policy";
import { startRetentionJob } from "../../src/persistence/retention/retentionJob";
import { TABLES, tableSizes } from "../../src/persistence/retention/tableSizes";
import { roomEvents, sessionJournal, sessionUpdates } from "../../src/persistence/schema";
import { SessionStore } from "../../src/persistence/sessionStore";
import { TableSession, restoreSession } from "../../src/domain/table/session";
import { genericPlugin } from "../../src/domain/table/plugins/generic";
import { exportSession, importSession } from "../../src/rooms/table/campaign";
import { testDatabases, type TestDatabase } from "../support/testDatabase";

const DAY = 86_400_000;
const NOW = Date.UTC(2031, 5, 15);
const nothing: RetentionPolicy = { auditDays: 0, journalDays: 0, journalKeep: {}, compactLog: false };
/** No live room holds any code here. */
const noLiveRooms = { resolve: async () => undefined } as unknown as CodeRegistry;

for (const makeDatabase of testDatabases()) {
  describe(`retention and log compaction on ${makeDatabase().name}`, function () {
    this.timeout(60_000);
    let test: TestDatabase;
    let database: Database;
    let store: SessionStore;

    before(async () => {
      test = makeDatabase();
      database = await test.open();
      store = new SessionStore(database.db);
    });
    // Empty tables for each test, so counts of pruned rows are exact (the log and journal go with their sessions).
    beforeEach(async () => {
      await database.db.execute(sql`DELETE FROM sessions`);
      await database.db.execute(sql`DELETE FROM room_events`);
    });
    after(async () => test.dispose());

    /** A session with `updates` updates and its snapshot stored at version `snapshotAt`. */
    async function session(updates: number, snapshotAt: number, gm = "gm") {
      const live = new TableSession(emptyTable("Crypt", "generic"), { version: 0, publicVersion: 0 }, genericPlugin);
      const id = randomUUID();
      await store.create({
        ...{ id, code: randomUUID().slice(0, 6).toUpperCase(), title: "Crypt", gmPlayerId: gm, pluginId: "generic" },
        ...{ doc: live.doc, version: 0, hash: live.hash, publicVersion: 0 },
      });
      for (let v = 1; v <= updates; v++) {
        const ops: UpdateRecord["ops"] =
          v === 1
            ? [{ op: "set", path: "characters.c1", value: newCharacter({ name: "Aria" }) as never }]
            : [{ op: "inc", path: "characters.c1.hp", value: -1 }];
        const prepared = live.prepare(ops, { authorId: gm, kind: "update", baseVersion: live.version });
        live.accept(prepared);
        await store.append(id, prepared.record);
        if (v === snapshotAt) {
          await store.snapshot(id, { doc: live.doc, version: live.version, hash: live.hash, publicVersion: live.publicVersion });
        }
      }
      return { id, live, head: { version: live.version, hash: live.hash } };
    }

    /** One more update of a live session, stored; a snapshot with it when `snapshot`. */
    async function more(id: string, live: TableSession, snapshot = false) {
      const prepared = live.prepare([{ op: "inc", path: "characters.c1.hp", value: 1 }], {
        authorId: "gm",
        kind: "update",
        baseVersion: live.version,
      });
      live.accept(prepared);
      await store.append(id, prepared.record);
      if (snapshot) await store.snapshot(id, { doc: live.doc, version: live.version, hash: live.hash, publicVersion: live.publicVersion });
    }

    /** What a reopen rebuilds from the store: the version and hash it reaches, checked against the stored head. */
    async function reopened(id: string) {
      const stored = await store.load(id);
      assert.ok(stored, `session ${id} is stored`);
      const restored = restoreSession({ ...stored, headVersion: stored.meta.headVersion, headHash: stored.meta.headHash }, genericPlugin);
      return { version: restored.version, hash: restored.hash, replayed: stored.updates.length };
    }

    async function logRows(id: string): Promise<number[]> {
      const rows = await database.db.select({ v: sessionUpdates.version }).from(sessionUpdates).where(eq(sessionUpdates.sessionId, id));
      return rows.map((r) => r.v).sort((a, b) => a - b);
    }

    it("compaction keeps only the updates after each snapshot; every session reopens with its head version and hash, and its export imports", async () => {
      const behind = await session(7, 4);
      const atHead = await session(5, 5);
      const never = await session(3, 0);
      const exported = await exportSession(store, behind.id, "gm");
      const imported = await importSession(store, noLiveRooms, exported, "importer", { maxEntities: 5000, maxUpdates: 1000 });
      const before = new Map<string, unknown>();
      for (const id of [behind.id, atHead.id, never.id, imported.id]) before.set(id, await reopened(id));
      assert.deepEqual(await logRows(imported.id), [5, 6, 7], "an import stores the file's log, all of it behind its snapshot");

      const report = await prune(database.db, { ...nothing, compactLog: true }, { batchRows: 2 });
      assert.deepEqual(report, { room_events: 0, session_journal: 0, session_updates: 4 + 5 + 0 + 3 });

      assert.deepEqual(await logRows(behind.id), [5, 6, 7]);
      assert.deepEqual(await logRows(atHead.id), []);
      assert.deepEqual(await logRows(never.id), [1, 2, 3]);
      assert.deepEqual(await logRows(imported.id), []);
      for (const [id, was] of before) assert.deepEqual(await reopened(id), was, `session ${id} reopens as before`);
      assert.deepEqual(await reopened(behind.id), { ...behind.head, replayed: 3 });
      assert.deepEqual(await reopened(atHead.id), { ...atHead.head, replayed: 0 });

      // The export after compaction carries the same snapshot and updates: it still checks, and imports.
      const again = await exportSession(store, behind.id, "gm");
      assert.deepEqual(again.updates, exported.updates);
      assert.deepEqual(again.snapshot, exported.snapshot);
      const copy = await importSession(store, noLiveRooms, again, "someone-else", { maxEntities: 5000, maxUpdates: 1000 });
      assert.equal(copy.version, behind.head.version);
      assert.equal(copy.hash, behind.head.hash);

      const second = await prune(database.db, { ...nothing, compactLog: true });
      assert.equal(second.session_updates, 3, "only the second import's log, behind its snapshot: compaction is idempotent");
    });

    it("compaction runs while a session goes on (updates, snapshots, reopen reads), and in two places at once", async () => {
      const a = await session(12, 10);
      const b = await session(9, 2);
      const busy = await session(3, 3);
      const playing = (async () => {
        // Every reopen read in between sees a snapshot with every update after it.
        for (let i = 1; i <= 12; i++) {
          await more(busy.id, busy.live, i % 3 === 0);
          const now = await reopened(busy.id);
          assert.equal(now.version, busy.live.version);
          assert.equal(now.hash, busy.live.hash);
        }
      })();
      const [one, two] = await Promise.all([
        prune(database.db, { ...nothing, compactLog: true }, { batchRows: 1 }),
        prune(database.db, { ...nothing, compactLog: true }, { batchRows: 3 }),
        playing,
      ]);
      // A run that met the other's deletions may stop early (its statement deleted less than a batch): the next run goes on.
      const three = await prune(database.db, { ...nothing, compactLog: true });
      assert.equal(
        one.session_updates + two.session_updates + three.session_updates,
        10 + 2 + 15,
        "each row counted once, by the run that deleted it",
      );
      assert.deepEqual(await reopened(a.id), { ...a.head, replayed: 2 });
      assert.deepEqual(await reopened(b.id), { ...b.head, replayed: 7 });
      assert.deepEqual(await reopened(busy.id), { version: 15, hash: busy.live.hash, replayed: 0 });
      assert.deepEqual(await logRows(busy.id), []);
    });

    it("audit events older than the retention go, oldest first; younger ones and an old one stored after them stay", async () => {
      const at = (daysAgo: number) => new Date(NOW - daysAgo * DAY);
      const row = (n: number, daysAgo: number) => ({
        ...{ roomId: "r", roomType: "space", code: "ABCDEF", kind: "joined", playerId: `p${n}` },
        at: at(daysAgo),
      });
      await database.db.insert(roomEvents).values([row(1, 100), row(2, 95), row(3, 91), row(4, 10), row(5, 200), row(6, 1)]);
      const report = await prune(database.db, { ...nothing, auditDays: 90 }, { now: NOW, batchRows: 2 });
      assert.equal(report.room_events, 3);
      const left = await database.db.select({ p: roomEvents.playerId }).from(roomEvents).orderBy(roomEvents.id);
      assert.deepEqual(
        left.map((r) => r.p),
        ["p4", "p5", "p6"],
        "p5 is old but was stored after a young one: it waits (the walk never reads past the first young row)",
      );
      assert.equal((await prune(database.db, { ...nothing, auditDays: 0 }, { now: NOW })).room_events, 0, "0 days keeps all");
    });

    function chat(n: number, at = NOW): JournalEntry {
      return { kind: "chat", playerId: "p", name: "P", text: `line ${n}`, at };
    }
    function roll(n: number): JournalEntry {
      return { kind: "roll", playerId: "p", name: "P", label: `roll ${n}`, expression: "1d6", detail: "", total: 3, at: NOW };
    }

    it("journal lines older than the retention go by age", async () => {
      const { id } = await session(0, 0);
      for (const daysAgo of [40, 35, 31, 3, 0]) await store.appendJournal(id, chat(daysAgo, NOW - daysAgo * DAY));
      const report = await prune(database.db, { ...nothing, journalDays: 30 }, { now: NOW, batchRows: 2 });
      assert.equal(report.session_journal, 3);
      assert.deepEqual(
        (await store.journal(id)).map((e) => (e.kind === "chat" ? e.text : "")),
        ["line 3", "line 0"],
      );
    });

    it("journal rows beyond the newest N of each kind go, per session; a reopen shows what it showed", async () => {
      const x = await session(0, 0);
      const y = await session(0, 0);
      for (let n = 0; n < 60; n++) await store.appendJournal(x.id, chat(n));
      for (let n = 0; n < 55; n++) await store.appendJournal(x.id, roll(n));
      for (let n = 0; n < 3; n++) await store.appendJournal(x.id, { kind: "gmNote", text: `note ${n}`, at: NOW });
      for (let n = 0; n < 40; n++) await store.appendJournal(y.id, chat(n));
      const shownBefore = await store.recentJournal(x.id, "chat", 30);

      const report = await prune(database.db, { ...nothing, journalKeep: { chat: 35, roll: 50 } }, { batchRows: 7 });
      assert.equal(report.session_journal, 25 + 5 + 5);
      const kinds = async (id: string) => {
        const counts: Record<string, number> = {};
        for (const e of await store.journal(id)) counts[e.kind] = (counts[e.kind] ?? 0) + 1;
        return counts;
      };
      assert.deepEqual(await kinds(x.id), { chat: 35, roll: 50, gmNote: 3 });
      assert.deepEqual(await kinds(y.id), { chat: 35 });
      const keptChat = (await store.journal(x.id)).filter((e) => e.kind === "chat").map((e) => (e.kind === "chat" ? e.text : ""));
      assert.equal(keptChat[0], "line 25", "the newest are kept");
      assert.deepEqual(await store.recentJournal(x.id, "chat", 30), shownBefore);
    });

    it("the job counts pruned rows by table and measures every table's rows and bytes", async () => {
      const s = await session(6, 6);
      await store.appendJournal(s.id, chat(1));
      const metrics = new Metrics();
      const job = startRetentionJob({
        db: database.db,
        policy: { ...nothing, compactLog: true },
        intervalMs: 0,
        metrics,
        logger: createLogger("silent"),
      });
      assert.deepEqual(await job.runNow(), { room_events: 0, session_journal: 0, session_updates: 6 });
      const text = await metrics.registry.metrics();
      assert.match(text, /tavern_rows_pruned_total\{table="session_updates"\} 6/);
      assert.match(text, /tavern_table_rows\{table="session_journal"\} 1/);
      assert.match(text, /tavern_table_rows\{table="session_updates"\} 0/);
      assert.match(text, /tavern_table_bytes\{table="sessions"\} [1-9]\d*/);
      assert.match(text, /tavern_retention_runs_total\{outcome="ok"\} 1/);
      await job.stop();
      const sizes = await tableSizes(database.db);
      assert.deepEqual(
        sizes.map((t) => t.table),
        [...TABLES],
      );
      assert.equal(sizes.find((t) => t.table === "sessions")?.rows, 1);
      const [count] = await database.db.select({ n: sql<number>`count(*)::int` }).from(sessionJournal);
      assert.equal(count?.n, 1);
    });
  });
}
