/**
 * A room with no activity (a join, a request, a reconnection) for its idleTimeoutSeconds closes:
 * everyone is told why, then the sockets close.
 */
import type { Room } from "@colyseus/core";
import { CLOSE_CODES, type ClosingMessage } from "@tavern/shared/protocol";
import type { Logger } from "../logger";

const IDLE_CHECK_MS = 1000;

export class IdleClose {
  private lastActivityAt = Date.now();

  constructor(
    private readonly room: Room,
    private readonly timeoutSeconds: () => number,
    private readonly log: () => Logger,
  ) {
    room.clock.setInterval(() => this.closeIfIdle(), IDLE_CHECK_MS);
  }

  touch(): void {
    this.lastActivityAt = Date.now();
  }

  private closeIfIdle(): void {
    const idleMs = Date.now() - this.lastActivityAt;
    const seconds = this.timeoutSeconds();
    if (idleMs < seconds * 1000) return;
    this.log().info({ idleMs }, "closing idle room");
    const message = `This room was closed after ${seconds} seconds without activity.`;
    this.room.broadcast("closing", { reason: "idle", message } satisfies ClosingMessage);
    this.lastActivityAt = Number.POSITIVE_INFINITY; // close once
    // Let the closing message leave before the sockets close.
    this.room.clock.setTimeout(() => void this.room.disconnect(CLOSE_CODES.IDLE), 50);
  }
}
