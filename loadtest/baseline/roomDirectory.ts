/**
 * The open rooms of one baseline server by code, each with its own 20 Hz loop (as each Colyseus
 * room has its own clock). A room and its loop end when its last player leaves.
 */
import { randomBytes } from "node:crypto";
import { generateRoomCode, normalizeRoomCode } from "@tavern/shared/roomCodes";
import type { Broadcaster } from "./broadcast";
import { startFixedStep } from "./fixedStep";
import { BaselineRoom } from "./room";

/** Tavern's SpaceRoom TICK_RATE. */
export const TICK_RATE_HZ = 20;

export class RoomDirectory {
  private readonly rooms = new Map<string, { room: BaselineRoom; stop: () => void }>();

  constructor(private readonly broadcaster: Broadcaster) {}

  open(capacity: number): BaselineRoom {
    let code = generateRoomCode(randomBytes);
    while (this.rooms.has(code)) code = generateRoomCode(randomBytes);
    const room = new BaselineRoom(code, capacity);
    // Reused across intervals so a tick allocates nothing when nobody moves.
    const moved = new Set<string>();
    const stop = startFixedStep(
      TICK_RATE_HZ,
      (dt) => room.step(dt, moved),
      () => {
        this.broadcaster.afterTick(room, moved);
        moved.clear();
      },
    );
    this.rooms.set(code, { room, stop });
    return room;
  }

  find(roomKey: string): BaselineRoom | undefined {
    return this.rooms.get(normalizeRoomCode(roomKey))?.room;
  }

  closeIfEmpty(room: BaselineRoom): void {
    const entry = this.rooms.get(room.code);
    if (room.size > 0 || entry?.room !== room) return;
    entry.stop();
    this.rooms.delete(room.code);
  }

  closeAll(): void {
    for (const { stop } of this.rooms.values()) stop();
    this.rooms.clear();
  }
}
