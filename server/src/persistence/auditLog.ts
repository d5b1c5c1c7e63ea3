/**
 * The audit trail of room life. Writing it never holds up or breaks a room: events are inserted in
 * the background, and a failed insert is logged and counted.
 */
import { asc, eq } from "drizzle-orm";
import type { Logger } from "../logger";
import type { Metrics } from "../observability/metrics";
import type { Db } from "./database";
import { roomEvents } from "./schema";

export const AUDIT_KINDS = ["created", "joined", "left", "kicked", "host-changed", "started", "finished", "reset", "disposed"] as const;
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

export class AuditLog {
  private pending = new Set<Promise<void>>();

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
    private readonly metrics: Metrics,
  ) {}

  record(event: AuditEvent): void {
    const started = performance.now();
    const write = this.db
      .insert(roomEvents)
      .values({ ...event, details: event.details ?? {} })
      .then(() => this.metrics.persistenceWrite.observe({ operation: "audit" }, (performance.now() - started) / 1000))
      .catch((err: unknown) => {
        this.metrics.persistenceFailures.inc({ operation: "audit" });
        this.logger.warn({ err, event }, "audit event not stored");
      })
      .finally(() => this.pending.delete(write));
    this.pending.add(write);
  }

  /** Resolves once every event recorded so far is written (shutdown, tests). */
  async flush(): Promise<void> {
    await Promise.all([...this.pending]);
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
