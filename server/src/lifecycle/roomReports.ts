/**
 * What a room reports about itself: audit events (who did what, in the durable audit log) and
 * exceptions (counted and logged; the room keeps running).
 */
import type { Logger } from "../logger";
import type { Metrics } from "../observability/metrics";
import type { AuditKind, AuditLog } from "../persistence/auditLog";

export interface ReportedRoom {
  roomId(): string;
  roomType(): string;
  code(): string;
  log(): Logger;
}

export class RoomReports {
  constructor(
    private readonly room: ReportedRoom,
    private readonly auditLog: AuditLog,
    private readonly metrics: Metrics,
  ) {}

  audit(kind: AuditKind, playerId: string, details?: Record<string, unknown>): void {
    const { room } = this;
    this.auditLog.record({
      roomId: room.roomId(),
      roomType: room.roomType(),
      code: room.code(),
      kind,
      playerId,
      ...(details ? { details } : {}),
    });
  }

  exception(err: unknown, where: string): void {
    this.metrics.roomExceptions.inc({ room_type: this.room.roomType(), method: where.split(":")[0] ?? where });
    this.room.log().error({ err, where }, "exception inside room; the room keeps running");
  }
}
