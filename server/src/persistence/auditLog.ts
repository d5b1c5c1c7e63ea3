/**
 * The audit trail of room life. Writing it never holds up or breaks a room: events are inserted in
 * the background, and a failed insert is logged and counted.
 */
import { and, asc, eq } from "drizzle-orm";
import type { Logger } from "../logger";
import type { Metrics } from "../observability/metrics";
import type { Db } from "./database";
import { roomEvents } from "./schema";

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

export class AuditLog {
  /** Batches are written one after another, so event ids follow the order the rooms recorded them in. */
  private tail: Promise<void> = Promise.resolve();
  private pending: PendingEvent[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
    private readonly metrics: Metrics,
  ) {}

  record(event: AuditEvent): void {
    // The time is taken now: the row is written up to AUDIT_BATCH_MS later.
    this.pending.push({ ...event, details: event.details ?? {}, at: new Date() });
    this.timer ??= setTimeout(() => void this.writePending(), AUDIT_BATCH_MS);
  }

  /** Resolves once every event recorded so far is written (shutdown, tests). */
  async flush(): Promise<void> {
    await this.writePending();
  }

  /** Queues the events recorded so far as the next batch; resolves when that batch is written. */
  private writePending(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    if (batch.length > 0) {
      this.tail = this.tail.then(async () => {
        for (let i = 0; i < batch.length; i += MAX_BATCH_ROWS) await this.insert(batch.slice(i, i + MAX_BATCH_ROWS));
      });
    }
    return this.tail;
  }

  private async insert(rows: PendingEvent[]): Promise<void> {
    const started = performance.now();
    try {
      await this.db.insert(roomEvents).values(rows);
      this.metrics.persistenceWrite.observe({ operation: "audit" }, (performance.now() - started) / 1000);
    } catch (err) {
      if (rows.length > 1) {
        // One bad event must not take the others down with it: write them one by one.
        for (const row of rows) await this.insert([row]);
        return;
      }
      this.metrics.persistenceFailures.inc({ operation: "audit" });
      const { roomId, kind } = rows[0] ?? {};
      this.logger.warn({ err, roomId, kind }, "audit event not stored");
    }
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
