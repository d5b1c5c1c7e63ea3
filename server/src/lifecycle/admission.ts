/**
 * Who gets through a room's door, as plain rules over plain data: the kick list (player ids and
 * the devices they signed in from). Capacity and roles stay with rules.ts.
 */

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
