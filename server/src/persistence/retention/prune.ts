/**
 * Retention and log compaction against the database, in small statements: each deletes at most
 * `batchRows` rows, and the event loop gets a turn between them (embedded PGlite runs on it, so one
 * long DELETE would stop every room of the process).
 *
 * Safe to run in several processes at once: every statement deletes by a condition that stays
 * true of the rows it names (older than a time, beyond the newest N of a kind, at or before the
 * session's snapshot), so two runs can only delete the same rows twice, which the second finds
 * gone. Each counts what it deleted itself; a run whose statement found its rows taken by the
 * other may stop early, and the next run goes on where it stopped.
 *
 * Log compaction deletes a session's updates up to its snapshot version. Nothing reads them: a
 * reopen and an export read the snapshot and the updates after it (SessionStore.load, in one
 * repeatable-read transaction, so a snapshot that moves between its two reads cannot leave it
 * without updates compaction deleted meanwhile), and an export carries exactly those, with the
 * snapshot's hash and the head's, which is all an import checks.
 */
import { and, asc, eq, inArray, lt, lte, sql } from "drizzle-orm";
import type { Db } from "../database";
import { roomEvents, sessionJournal, sessions } from "../schema";
import { cutoffs, oldestRun, type JournalKind, type RetentionPolicy } from "./policy";

export type PrunedTable = "room_events" | "session_journal" | "session_updates";
export type PruneReport = Record<PrunedTable, number>;

export interface PruneProgress {
  table: PrunedTable;
  /** Deleted by this statement. */
  deleted: number;
  /** Deleted from this table so far in this run. */
  total: number;
}

export interface PruneOptions {
  now?: number;
  /** Rows one statement deletes at most. */
  batchRows?: number;
  /** After each statement that deleted something (the CLI's progress line, the job's metrics). */
  onBatch?: (progress: PruneProgress) => void;
}

const DEFAULT_BATCH_ROWS = 1000;
/** Sessions whose journal lengths one statement looks at. */
const SESSION_BATCH = 200;

/** Runs everything the policy asks for; returns the rows deleted per table. */
export async function prune(db: Db, policy: RetentionPolicy, options: PruneOptions = {}): Promise<PruneReport> {
  const report: PruneReport = { room_events: 0, session_journal: 0, session_updates: 0 };
  const batchRows = options.batchRows ?? DEFAULT_BATCH_ROWS;
  const counted = (table: PrunedTable) => (deleted: number) => {
    report[table] += deleted;
    options.onBatch?.({ table, deleted, total: report[table] });
  };
  const { auditBefore, journalBefore } = cutoffs(policy, options.now ?? Date.now());
  if (auditBefore) await pruneAuditBefore(db, auditBefore, batchRows, counted("room_events"));
  if (journalBefore) await pruneJournalBefore(db, journalBefore, batchRows, counted("session_journal"));
  for (const [kind, keep] of Object.entries(policy.journalKeep) as Array<[JournalKind, number]>) {
    await pruneJournalBeyond(db, kind, keep, batchRows, counted("session_journal"));
  }
  if (policy.compactLog) await compactUpdateLog(db, batchRows, counted("session_updates"));
  return report;
}

type Deleted = (n: number) => void;

/** Lets the rooms of this process run between two statements. */
const yieldToRooms = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Oldest first by id, as long as rows are older than `before` (see oldestRun). */
async function walkOldest(
  read: (limit: number) => Promise<Array<{ id: number; at: Date }>>,
  deleteThrough: (id: number) => Promise<number>,
  before: Date,
  batchRows: number,
  deleted: Deleted,
): Promise<void> {
  for (;;) {
    const rows = await read(batchRows);
    const { throughId, allOld } = oldestRun(rows, before);
    if (throughId !== undefined) deleted(await deleteThrough(throughId));
    if (!allOld || rows.length < batchRows) return;
    await yieldToRooms();
  }
}

export function pruneAuditBefore(db: Db, before: Date, batchRows: number, deleted: Deleted = () => {}): Promise<void> {
  return walkOldest(
    (limit) => db.select({ id: roomEvents.id, at: roomEvents.at }).from(roomEvents).orderBy(asc(roomEvents.id)).limit(limit),
    async (id) =>
      // The time again: a row with a lower id committed late is still judged by its own time.
      (
        await db
          .delete(roomEvents)
          .where(and(lte(roomEvents.id, id), lt(roomEvents.at, before)))
          .returning({ id: roomEvents.id })
      ).length,
    before,
    batchRows,
    deleted,
  );
}

export function pruneJournalBefore(db: Db, before: Date, batchRows: number, deleted: Deleted = () => {}): Promise<void> {
  return walkOldest(
    (limit) =>
      db.select({ id: sessionJournal.id, at: sessionJournal.at }).from(sessionJournal).orderBy(asc(sessionJournal.id)).limit(limit),
    async (id) =>
      (
        await db
          .delete(sessionJournal)
          .where(and(lte(sessionJournal.id, id), lt(sessionJournal.at, before)))
          .returning({ id: sessionJournal.id })
      ).length,
    before,
    batchRows,
    deleted,
  );
}

/**
 * Keeps each session's newest `keep` lines of `kind`. Sessions are visited a batch at a time; for
 * each, the id of its (keep+1)-th newest line of the kind is found through the journal's
 * (session, kind, id) index, and that line and older ones go.
 */
export async function pruneJournalBeyond(
  db: Db,
  kind: JournalKind,
  keep: number,
  batchRows: number,
  deleted: Deleted = () => {},
): Promise<void> {
  let after = "";
  for (;;) {
    const result = await db.execute(sql`
      SELECT s.id AS session_id,
        (SELECT j.id FROM ${sessionJournal} j
          WHERE j.session_id = s.id AND j.kind = ${kind}
          ORDER BY j.id DESC OFFSET ${keep} LIMIT 1)::text AS cutoff
      FROM ${sessions} s WHERE s.id > ${after} ORDER BY s.id LIMIT ${SESSION_BATCH}`);
    const rows = rowsOf(result) as Array<{ session_id: string; cutoff: string | null }>;
    for (const { session_id: sessionId, cutoff } of rows) {
      if (cutoff !== null) await deleteJournalThrough(db, sessionId, kind, Number(cutoff), batchRows, deleted);
    }
    const last = rows.at(-1);
    if (!last || rows.length < SESSION_BATCH) return;
    after = last.session_id;
    await yieldToRooms();
  }
}

async function deleteJournalThrough(db: Db, sessionId: string, kind: JournalKind, throughId: number, batchRows: number, deleted: Deleted) {
  for (;;) {
    const doomed = db
      .select({ id: sessionJournal.id })
      .from(sessionJournal)
      .where(and(eq(sessionJournal.sessionId, sessionId), eq(sessionJournal.kind, kind), lte(sessionJournal.id, throughId)))
      .orderBy(asc(sessionJournal.id))
      .limit(batchRows);
    const gone = await db.delete(sessionJournal).where(inArray(sessionJournal.id, doomed)).returning({ id: sessionJournal.id });
    if (gone.length > 0) deleted(gone.length);
    if (gone.length < batchRows) return;
    await yieldToRooms();
  }
}

/** Deletes every session's updates at or before its snapshot version. */
export async function compactUpdateLog(db: Db, batchRows: number, deleted: Deleted = () => {}): Promise<void> {
  for (;;) {
    const result = await db.execute(sql`
      DELETE FROM session_updates WHERE (session_id, version) IN (
        SELECT u.session_id, u.version FROM session_updates u JOIN ${sessions} s ON s.id = u.session_id
        WHERE u.version <= s.snapshot_version LIMIT ${batchRows})
      RETURNING version`);
    const n = rowsOf(result).length;
    if (n > 0) deleted(n);
    if (n < batchRows) return;
    await yieldToRooms();
  }
}

/** The rows of a raw query: both drivers' results have them under `rows`. */
export function rowsOf(result: unknown): Array<Record<string, unknown>> {
  const rows = (result as { rows?: unknown }).rows;
  return Array.isArray(rows) ? (rows as Array<Record<string, unknown>>) : [];
}
