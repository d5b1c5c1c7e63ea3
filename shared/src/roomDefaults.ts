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

const MAX_PLAYERS: Readonly<Record<string, number>> = { space: 100, table: 16, cabo: 6 };
/** Seats a room type can use at all: a card game is dealt to 2 to 6 hands. */
const PLAYER_LIMITS: Readonly<Record<string, { min: number; max: number }>> = { cabo: { min: 2, max: 6 } };
const FALLBACK_MAX_PLAYERS = 16;

export function defaultMaxPlayers(roomType: string): number {
  return Object.hasOwn(MAX_PLAYERS, roomType) ? MAX_PLAYERS[roomType]! : FALLBACK_MAX_PLAYERS;
}

/** The fewest and most players a room of this type may be configured for (undefined: no limit of its own). */
export function playerLimits(roomType: string): { min: number; max: number } | undefined {
  return Object.hasOwn(PLAYER_LIMITS, roomType) ? PLAYER_LIMITS[roomType] : undefined;
}

export function defaultRoomConfig(roomType: string, server: ServerRoomDefaults): RoomConfig {
  return {
    maxPlayers: defaultMaxPlayers(roomType),
    minPlayers: playerLimits(roomType)?.min ?? 1,
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
