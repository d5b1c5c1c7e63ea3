/**
 * The audit trail of room life. Writing it never holds up or breaks a room: events are inserted in
 * the background, a failed batch is tried again with backoff, and what still fails is logged and
 * counted (tavern_background_writes_total{operation="audit"} counts events, by outcome).
 */
import { and, asc, eq, sql } from "drizzle-orm";
import type { Logger } from "../logger";
import type { Metrics } from "../observability/metrics";
import type { Db } from "./database";
import { realRetryTools, tryWithBackoff, type RetryTools, type WriteOutcome } from "./backgroundWrites";
import { roomEvents } from "./schema";
import { WriteBatcher } from "./writeBatcher";

export const AUDIT_KINDS = [
  "created",
  "joined",
  "left",
  "kicked",
  "host-changed",
  "started",
  "finished",
  "reset",
  "disposed",
  "game-write",
  "api-key-created",
  "api-key-rotated",
  "api-key-revoked",
  "gm-handed-over",
  "launch-requested",
  "webhook-registered",
  "webhook-deleted",
  "webhook-enabled",
  "webhook-disabled",
] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

export interface AuditEvent {
  roomId: string;
  roomType: string;
  code: string;
  kind: AuditKind;
  playerId: string;
  details?: Record<string, unknown>;
}

export interface StoredAuditEvent extends Required<AuditEvent> {
  at: string;
}

type PendingEvent = Required<AuditEvent> & { at: Date };

/**
 * Events recorded within this window are written with one multi-row insert. Each statement costs
 * about a millisecond of CPU on the event loop (embedded PGlite runs on it), so one insert per
 * event made a join storm of 100 players spend ~200 ms on audit writes alone.
 */
export const AUDIT_BATCH_MS = 50;
/** Rows per insert statement at most (a very long backlog is written in several statements). */
const MAX_BATCH_ROWS = 500;

/**
 * One multi-row insert with the rows as a single JSON parameter: the same rows through Drizzle's
 * builder (seven parameters a row, each encoded on its own) took about twice the CPU, measured on
 * PGlite (300 rows in batches of 25: 21-31 ms against 12-16). `with ordinality` keeps the ids in
 * the order the rows were recorded.
 */
function insertRows(rows: PendingEvent[]) {
  const json = JSON.stringify(
    rows.map((r) => ({
      room_id: r.roomId,
      room_type: r.roomType,
      code: r.code,
      kind: r.kind,
      player_id: r.playerId,
      details: r.details,
      at: r.at,
    })),
  );
  return sql`
    insert into room_events (room_id, room_type, code, kind, player_id, details, at)
    select room_id, room_type, code, kind, player_id, details, at
    from rows from (
      jsonb_to_recordset(${json}::jsonb) as (room_id text, room_type text, code text, kind text, player_id text, details jsonb, at timestamptz)
    ) with ordinality as r(room_id, room_type, code, kind, player_id, details, at, n)
    order by n`;
}

export class AuditLog {
  /** Batches are written one after another, so event ids follow the order the rooms recorded them in. */
  private readonly batches = new WriteBatcher<PendingEvent>(AUDIT_BATCH_MS, MAX_BATCH_ROWS, (rows) => this.insert(rows));

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
    private readonly metrics: Metrics,
    private readonly retry: RetryTools = realRetryTools(),
  ) {}

  record(event: AuditEvent): void {
    // The time is taken now: the row is written up to AUDIT_BATCH_MS later.
    this.batches.add({ ...event, details: event.details ?? {}, at: new Date() });
  }

  /** Resolves once every event recorded so far is written (shutdown, tests). */
  async flush(): Promise<void> {
    await this.batches.flush();
  }

  /** A batch, with the retries; if it still fails, its events one by one, a try each. */
  private async insert(rows: PendingEvent[]): Promise<void> {
    const { outcome } = await tryWithBackoff(() => this.insertOnce(rows), this.retry);
    if (outcome !== "failed") return this.counted(outcome, rows.length);
    // One bad event must not take the others down with it (and a database that is down has had its retries).
    for (const row of rows) {
      const single = await tryWithBackoff(() => this.insertOnce([row]), this.retry, 1);
      this.counted(single.outcome, 1);
      if (single.outcome === "failed")
        this.logger.warn({ err: single.error, roomId: row.roomId, kind: row.kind }, "audit event not stored");
    }
  }

  private async insertOnce(rows: PendingEvent[]): Promise<void> {
    const started = performance.now();
    try {
      await this.db.execute(insertRows(rows));
      this.metrics.persistenceWrite.observe({ operation: "audit" }, (performance.now() - started) / 1000);
    } catch (err) {
      this.metrics.persistenceFailures.inc({ operation: "audit" });
      throw err;
    }
  }

  private counted(outcome: WriteOutcome, events: number): void {
    this.metrics.backgroundWrites.inc({ operation: "audit", outcome }, events);
  }

  /** Whether this player ever took a seat in a room of this type under this code. */
  async heldSeat(code: string, roomType: string, playerId: string): Promise<boolean> {
    await this.flush();
    const rows = await this.db
      .select({ id: roomEvents.id })
      .from(roomEvents)
      .where(
        and(eq(roomEvents.code, code), eq(roomEvents.roomType, roomType), eq(roomEvents.kind, "joined"), eq(roomEvents.playerId, playerId)),
      )
      .limit(1);
    return rows.length > 0;
  }

  async forRoom(roomId: string): Promise<StoredAuditEvent[]> {
    const rows = await this.db.select().from(roomEvents).where(eq(roomEvents.roomId, roomId)).orderBy(asc(roomEvents.id));
    return rows.map((r) => ({
      roomId: r.roomId,
      roomType: r.roomType,
      code: r.code,
      kind: r.kind as AuditKind,
      playerId: r.playerId,
      details: r.details,
      at: r.at.toISOString(),
    }));
  }
}
