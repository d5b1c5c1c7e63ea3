/**
 * The config a room starts with when its creator sets nothing, per room type, in one place: the
 * server creates rooms with it and the lobby form shows it. A shared space takes a join storm of
 * 50+ players into a room created with no options; a table is a GM's group.
 */
import type { RoomConfig } from "./protocol";

/** What the server's environment decides (RECONNECT_GRACE_SECONDS, ROOM_IDLE_TIMEOUT_SECONDS). */
export interface ServerRoomDefaults {
  reconnectGraceSeconds: number;
  idleTimeoutSeconds: number;
}

const MAX_PLAYERS: Readonly<Record<string, number>> = { space: 100, table: 16 };
const FALLBACK_MAX_PLAYERS = 16;

export function defaultMaxPlayers(roomType: string): number {
  return Object.hasOwn(MAX_PLAYERS, roomType) ? MAX_PLAYERS[roomType]! : FALLBACK_MAX_PLAYERS;
}

export function defaultRoomConfig(roomType: string, server: ServerRoomDefaults): RoomConfig {
  return {
    maxPlayers: defaultMaxPlayers(roomType),
    minPlayers: 1,
    allowSpectators: true,
    maxSpectators: 20,
    private: false,
    reconnectGraceSeconds: server.reconnectGraceSeconds,
    idleTimeoutSeconds: server.idleTimeoutSeconds,
    locked: false,
  };
}

/** Connections the transport accepts: every seat plus headroom, so a join storm gets ROOM_FULL answers, not a locked room. */
export function connectionCap(config: RoomConfig): number {
  const seats = config.maxPlayers + (config.allowSpectators ? config.maxSpectators : 0);
  return seats + Math.max(64, seats);
}
