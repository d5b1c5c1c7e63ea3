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
  /** Inserts run one after another, so event ids follow the order the room recorded them in. */
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
    private readonly metrics: Metrics,
  ) {}

  record(event: AuditEvent): void {
    this.tail = this.tail.then(async () => {
      const started = performance.now();
      try {
        await this.db.insert(roomEvents).values({ ...event, details: event.details ?? {} });
        this.metrics.persistenceWrite.observe({ operation: "audit" }, (performance.now() - started) / 1000);
      } catch (err) {
        this.metrics.persistenceFailures.inc({ operation: "audit" });
        this.logger.warn({ err, event }, "audit event not stored");
      }
    });
  }

  /** Resolves once every event recorded so far is written (shutdown, tests). */
  async flush(): Promise<void> {
    await this.tail;
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
