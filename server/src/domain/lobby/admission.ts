/**
 * Who gets through a room's door, as plain rules over plain data: the kick list (player ids and
 * the devices they signed in from) and the lock (newcomers knock and wait for the host). The room
 * asks entryAtDoor() before it seats anyone; capacity and roles stay with rules.ts.
 */
import { TavernError } from "@tavern/shared/errors";

export interface Visitor {
  playerId: string;
  /** From the guest token; undefined for tokens issued before tokens carried one. */
  deviceId?: string | undefined;
}

/**
 * Players the host kicked, and their devices. A kicked player who signs in again as a new guest
 * gets a new player id but, from the same browser, the same device id: refused all the same.
 */
export class KickList {
  private readonly players = new Set<string>();
  private readonly devices = new Set<string>();

  add(who: Visitor): void {
    this.players.add(who.playerId);
    if (who.deviceId) this.devices.add(who.deviceId);
  }

  refuses(who: Visitor): boolean {
    return this.players.has(who.playerId) || (who.deviceId !== undefined && this.devices.has(who.deviceId));
  }

  /** As a table session stores it (roomSettings.kicked, roomSettings.kickedDevices). */
  toStored(): { kicked: string[]; kickedDevices: string[] } {
    return { kicked: [...this.players], kickedDevices: [...this.devices] };
  }

  /** Puts back stored kicks; settings stored before devices were recorded have no device list. */
  restore(kicked: readonly string[], kickedDevices: readonly string[] = []): void {
    for (const id of kicked) this.players.add(id);
    for (const id of kickedDevices) this.devices.add(id);
  }
}

export interface Door {
  locked: boolean;
  /** "" when nobody hosts. A table keeps its GM's id here while the GM is away. */
  hostId: string;
  /** Whether someone holds the host's seat (connected, or dropped and within the grace period). */
  hostSeated: boolean;
  /** How many seats are taken. */
  seats: number;
  isSeated(playerId: string): boolean;
}

/**
 * "seat": go on to the seat rules. "knock": wait for the host's answer first. Or a refusal:
 * KICKED, KNOCK_REQUIRED (locked, and the join did not ask to knock) or KNOCK_UNANSWERED
 * (locked, and nobody holds the host's seat to answer).
 */
export function entryAtDoor(door: Door, visitor: Visitor & { knock: boolean }, kicks: KickList): "seat" | "knock" {
  // Someone already seated (a reload, a second tab, a return within the grace period) is never
  // held: the lock is about newcomers. A kicked player has no seat, so this skips no kick.
  if (door.isSeated(visitor.playerId)) return "seat";
  if (kicks.refuses(visitor)) throw new TavernError("KICKED", "You were removed from this room by the host.");
  if (!door.locked) return "seat";
  // The host's own return (a table's GM keeps the role while away) is not a newcomer's knock.
  if (door.hostId !== "" && visitor.playerId === door.hostId) return "seat";
  // A locked room nobody is in yet (created locked): the first to come in becomes its host.
  if (door.hostId === "" && door.seats === 0) return "seat";
  if (!visitor.knock) {
    throw new TavernError("KNOCK_REQUIRED", "This room is locked: knock (join with knock: true) and wait for the host to let you in.");
  }
  if (!door.hostSeated) {
    throw new TavernError("KNOCK_UNANSWERED", "This room is locked and its host is not here to let you in: try again later.");
  }
  return "knock";
}
