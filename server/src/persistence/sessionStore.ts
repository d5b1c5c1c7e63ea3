/**
 * Durable tabletop sessions: a row per session with its latest snapshot, and the append-only log of
 * accepted updates. The table room appends each update here before it acknowledges it.
 */
import { and, asc, desc, eq, gt, lt, sql } from "drizzle-orm";
import { TavernError } from "@tavern/shared/errors";
import type { TableDoc } from "@tavern/shared/table/document";
import type { UpdateRecord } from "@tavern/shared/table/operations";
import type { Metrics } from "../observability/metrics";
import type { Db } from "./database";
import type { JournalEntry, StoredRoomSettings } from "@tavern/shared/table/journal";
import { sessionJournal, sessionUpdates, sessions } from "./schema";

export interface SessionMeta {
  id: string;
  code: string;
  title: string;
  gmPlayerId: string;
  pluginId: string;
  headVersion: number;
  headHash: string;
  snapshotVersion: number;
  createdAt: string;
  updatedAt: string;
}

/** What a session reopens from: the latest snapshot and every update after it, in order. */
export interface StoredSession {
  meta: SessionMeta;
  snapshot: TableDoc;
  snapshotVersion: number;
  snapshotHash: string;
  /** The public version at the snapshot; the log's updates add to it as they are replayed. */
  snapshotPublicVersion: number;
  updates: UpdateRecord[];
  roomSettings: StoredRoomSettings;
}

export interface NewSession {
  id: string;
  code: string;
  title: string;
  gmPlayerId: string;
  pluginId: string;
  doc: TableDoc;
  version: number;
  hash: string;
  publicVersion: number;
  /** The room's config and kicks; none for an imported session. */
  roomSettings?: StoredRoomSettings;
  /** For an import: who imported it and the digest of the file (see findImport). */
  imported?: { by: string; digest: string };
}

/** A document as stored for a reopen to start from. */
export interface SessionSnapshot {
  doc: TableDoc;
  version: number;
  hash: string;
  publicVersion: number;
}

/** Postgres' unique_violation, as both `pg` and PGlite report it (possibly wrapped by Drizzle). */
export function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === "23505") return true;
  }
  return false;
}

/** Journal rows per insert statement when importing (keeps each statement's parameters bounded). */
const JOURNAL_IMPORT_ROWS = 1000;

export class SessionStore {
  constructor(
    private readonly db: Db,
    private readonly metrics?: Metrics,
  ) {}

  /** Times a write for the persistence metrics and counts its failures. */
  private async timed<T>(operation: string, write: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      const result = await write();
      this.metrics?.persistenceWrite.observe({ operation }, (performance.now() - started) / 1000);
      return result;
    } catch (err) {
      this.metrics?.persistenceFailures.inc({ operation });
      throw err;
    }
  }

  /** Creates the session row; throws a unique violation when the id or the code is taken. */
  async create(s: NewSession): Promise<void> {
    await this.insertSession(this.db, s);
  }

  /** Creates a session with its log and journal in one transaction (an import): all of it is stored, or none. */
  async createWithLog(s: NewSession, log: UpdateRecord[], journal: readonly JournalEntry[] = []): Promise<void> {
    await this.timed("import", () =>
      this.db.transaction(async (tx) => {
        const head = log.at(-1) ?? s;
        await this.insertSession(tx, s, { version: head.version, hash: head.hash });
        if (log.length > 0) {
          await tx.insert(sessionUpdates).values(
            log.map((r) => ({
              sessionId: s.id,
              version: r.version,
              ops: r.ops,
              authorId: r.authorId,
              kind: r.kind,
              hash: r.hash,
              at: new Date(r.at),
            })),
          );
        }
        for (let i = 0; i < journal.length; i += JOURNAL_IMPORT_ROWS) {
          const rows = journal
            .slice(i, i + JOURNAL_IMPORT_ROWS)
            .map((entry) => ({ sessionId: s.id, kind: entry.kind, entry, at: new Date(entry.at) }));
          await tx.insert(sessionJournal).values(rows);
        }
      }),
    );
  }

  /** `s` is the snapshot; `head` the last version its log reaches (the snapshot itself when no log). */
  private async insertSession(db: Pick<Db, "insert">, s: NewSession, head: { version: number; hash: string } = s): Promise<void> {
    await db.insert(sessions).values({
      id: s.id,
      code: s.code,
      title: s.title,
      gmPlayerId: s.gmPlayerId,
      pluginId: s.pluginId,
      snapshot: s.doc,
      snapshotVersion: s.version,
      snapshotHash: s.hash,
      snapshotPublicVersion: s.publicVersion,
      headVersion: head.version,
      headHash: head.hash,
      roomSettings: s.roomSettings ?? {},
      importedBy: s.imported?.by ?? null,
      importDigest: s.imported?.digest ?? null,
    });
  }

  /** The session a player's earlier import of the file with this digest became, if any. */
  async findImport(importedBy: string, digest: string): Promise<{ id: string; code: string } | undefined> {
    const [row] = await this.db
      .select({ id: sessions.id, code: sessions.code })
      .from(sessions)
      .where(and(eq(sessions.importedBy, importedBy), eq(sessions.importDigest, digest)));
    return row;
  }

  /**
   * Appends one accepted update and moves the session's head, in one transaction. Refuses an update
   * that does not follow the stored head (another writer, or a replay), so no version is written twice.
   * `gmPlayerId`, the GM as the update was made, is stored in the same transaction: a GM change whose
   * own write failed lands with the next update at the latest.
   */
  async append(sessionId: string, record: UpdateRecord, gmPlayerId?: string): Promise<void> {
    await this.timed("append", () =>
      this.db.transaction(async (tx) => {
        const moved = await tx
          .update(sessions)
          .set({
            headVersion: record.version,
            headHash: record.hash,
            updatedAt: new Date(record.at),
            ...(gmPlayerId ? { gmPlayerId } : {}),
          })
          .where(and(eq(sessions.id, sessionId), eq(sessions.headVersion, record.version - 1)))
          .returning({ id: sessions.id });
        if (moved.length === 0) {
          throw new TavernError("VERSION_CONFLICT", `Session ${sessionId} is not at version ${record.version - 1} in the database.`);
        }
        await tx.insert(sessionUpdates).values({
          sessionId,
          version: record.version,
          ops: record.ops,
          authorId: record.authorId,
          kind: record.kind,
          hash: record.hash,
          at: new Date(record.at),
        });
      }),
    );
  }

  /** Stores a snapshot unless a newer one is already there. */
  async snapshot(sessionId: string, { doc, version, hash, publicVersion }: SessionSnapshot): Promise<void> {
    await this.timed("snapshot", () =>
      this.db
        .update(sessions)
        .set({
          snapshot: doc,
          snapshotVersion: version,
          snapshotHash: hash,
          snapshotPublicVersion: publicVersion,
          title: doc.title,
          updatedAt: new Date(),
        })
        .where(and(eq(sessions.id, sessionId), lt(sessions.snapshotVersion, version))),
    );
  }

  /** Replaces what the session's room keeps besides the game (its config, who was kicked). */
  async saveRoomSettings(sessionId: string, settings: StoredRoomSettings): Promise<void> {
    await this.timed("room-settings", () =>
      this.db.update(sessions).set({ roomSettings: settings, updatedAt: new Date() }).where(eq(sessions.id, sessionId)),
    );
  }

  /** Appends a roll or a chat line to the session's journal. */
  async appendJournal(sessionId: string, entry: JournalEntry): Promise<void> {
    await this.timed("journal", () =>
      this.db.insert(sessionJournal).values({ sessionId, kind: entry.kind, entry, at: new Date(entry.at) }),
    );
  }

  /** Every journal entry of the session, oldest first (for export). */
  async journal(sessionId: string): Promise<JournalEntry[]> {
    const rows = await this.db
      .select({ entry: sessionJournal.entry })
      .from(sessionJournal)
      .where(eq(sessionJournal.sessionId, sessionId))
      .orderBy(asc(sessionJournal.id));
    return rows.map((r) => r.entry);
  }

  /** The session's latest `limit` journal entries of one kind, oldest first. */
  async recentJournal<K extends JournalEntry["kind"]>(
    sessionId: string,
    kind: K,
    limit: number,
  ): Promise<Array<Extract<JournalEntry, { kind: K }>>> {
    const rows = await this.db
      .select({ entry: sessionJournal.entry })
      .from(sessionJournal)
      .where(and(eq(sessionJournal.sessionId, sessionId), eq(sessionJournal.kind, kind)))
      .orderBy(desc(sessionJournal.id))
      .limit(limit);
    return rows.reverse().map((r) => r.entry as Extract<JournalEntry, { kind: K }>);
  }

  async setGm(sessionId: string, gmPlayerId: string): Promise<void> {
    await this.timed("gm-change", () =>
      this.db.update(sessions).set({ gmPlayerId, updatedAt: new Date() }).where(eq(sessions.id, sessionId)),
    );
  }

  /**
   * The snapshot and the updates after it, read in one repeatable-read transaction: log compaction
   * (retention/prune.ts) deletes updates up to the snapshot, so the two reads must see the same
   * snapshot version, or a snapshot taken between them would leave this load short of updates.
   */
  async load(sessionId: string): Promise<StoredSession | undefined> {
    const read = await this.db.transaction(
      async (tx) => {
        const [row] = await tx.select().from(sessions).where(eq(sessions.id, sessionId));
        if (!row) return undefined;
        const rows = await tx
          .select()
          .from(sessionUpdates)
          .where(and(eq(sessionUpdates.sessionId, sessionId), gt(sessionUpdates.version, row.snapshotVersion)))
          .orderBy(asc(sessionUpdates.version));
        return { row, rows };
      },
      { isolationLevel: "repeatable read", accessMode: "read only" },
    );
    if (!read) return undefined;
    const { row, rows } = read;
    return {
      meta: toMeta(row),
      snapshot: row.snapshot,
      snapshotVersion: row.snapshotVersion,
      snapshotHash: row.snapshotHash,
      snapshotPublicVersion: row.snapshotPublicVersion,
      roomSettings: row.roomSettings,
      updates: rows.map((u) => ({ version: u.version, ops: u.ops, authorId: u.authorId, kind: u.kind, hash: u.hash, at: u.at.getTime() })),
    };
  }

  async idForCode(code: string): Promise<string | undefined> {
    const [row] = await this.db.select({ id: sessions.id }).from(sessions).where(eq(sessions.code, code));
    return row?.id;
  }

  async listByGm(gmPlayerId: string): Promise<SessionMeta[]> {
    const rows = await this.db.select().from(sessions).where(eq(sessions.gmPlayerId, gmPlayerId)).orderBy(desc(sessions.updatedAt));
    return rows.map(toMeta);
  }

  /** Every stored update of a session (for export), in order. */
  async log(sessionId: string): Promise<UpdateRecord[]> {
    const rows = await this.db
      .select()
      .from(sessionUpdates)
      .where(eq(sessionUpdates.sessionId, sessionId))
      .orderBy(asc(sessionUpdates.version));
    return rows.map((u) => ({ version: u.version, ops: u.ops, authorId: u.authorId, kind: u.kind, hash: u.hash, at: u.at.getTime() }));
  }

  async count(): Promise<number> {
    const [row] = await this.db.select({ n: sql<number>`count(*)::int` }).from(sessions);
    return row?.n ?? 0;
  }
}

function toMeta(row: typeof sessions.$inferSelect): SessionMeta {
  return {
    id: row.id,
    code: row.code,
    title: row.title,
    gmPlayerId: row.gmPlayerId,
    pluginId: row.pluginId,
    headVersion: row.headVersion,
    headHash: row.headHash,
    snapshotVersion: row.snapshotVersion,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
