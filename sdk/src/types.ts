/**
 * The platform API's wire types, as the SDK's callers see them. They mirror Tavern's own schemas
 * (the SDK depends on nothing of Tavern's); a test in Tavern's repository fails when the two
 * drift apart.
 */

/** Where a seated player is: in the Tavern room, in the external game, or without a connection. */
export type SeatLocation = "lobby" | "game" | "disconnected";
/** What a game may report ("disconnected" is the room's to say). */
export type ReportedLocation = "lobby" | "game";
export type Role = "host" | "player" | "spectator";

export interface PlayerStatus {
  playerId: string;
  name: string;
  role: Role;
  connected: boolean;
  location: SeatLocation;
  /** A short text the game reported ("in the boss fight"), "" for none. */
  status: string;
  /** Epoch milliseconds: the last connection, return, report or heartbeat. */
  lastSeenAt: number;
}

export interface CurrentGame {
  gameId: string;
  /** Epoch milliseconds. */
  startedAt: number;
  url?: string;
}

export interface LastGameResult {
  gameId: string;
  /** Epoch milliseconds. */
  endedAt: number;
  result: Record<string, unknown>;
}

/** What `players()` answers. */
export interface RoomPlayers {
  roomCode: string;
  roomType: string;
  /** The room's version: name it as `expectedVersion` to write only if nothing changed since. */
  version: number;
  currentGame: CurrentGame | null;
  lastResult: LastGameResult | null;
  players: PlayerStatus[];
}

/** What every write answers. */
export interface WriteReply {
  roomCode: string;
  /** The room's version after the write (a heartbeat leaves it as it was). */
  version: number;
  updateId: string;
  /** With `waitForBroadcast`: whether the room's clients were sent the change before the reply. */
  broadcast?: boolean;
}

/** At most this many characters of status. */
export const STATUS_MAX_LENGTH = 64;
/** Players one bulk write may name at most. */
export const BULK_MAX_PLAYERS = 256;

export interface PlayerUpdate {
  location?: ReportedLocation;
  status?: string;
  /** Apply only if the room is at exactly this version (else VERSION_CONFLICT). */
  expectedVersion?: number;
}

export interface BulkUpdate {
  players: Array<{ playerId: string; location?: ReportedLocation; status?: string }>;
  expectedVersion?: number;
}

export interface Heartbeat {
  /** Without it: every player whose location is "game". */
  playerIds?: string[];
}

export interface GameStarted {
  gameId: string;
  /** Where players join the game (http or https). */
  url?: string;
  expectedVersion?: number;
}

export interface GameEnded {
  gameId: string;
  /** Any JSON object up to 4096 bytes once serialised: shown as the room's last result. */
  result?: Record<string, unknown>;
  expectedVersion?: number;
}

export const TAVERN_ERROR_CODES = [
  "VALIDATION_ERROR",
  "UNAUTHORIZED",
  "PERMISSION_DENIED",
  "INVALID_PHASE",
  "NOT_FOUND",
  "ROOM_FULL",
  "RATE_LIMITED",
  "UNKNOWN_REQUEST",
  "KICKED",
  "KNOCK_REQUIRED",
  "KNOCK_DENIED",
  "KNOCK_UNANSWERED",
  "VERSION_CONFLICT",
  "PERSISTENCE_ERROR",
  "INTERNAL_ERROR",
  "NOT_YOUR_TURN",
  "INVALID_MOVE",
  "IDEMPOTENCY_CONFLICT",
  "IDEMPOTENCY_IN_PROGRESS",
  "UNAVAILABLE",
  "ALREADY_EXISTS",
] as const;
export type TavernErrorCode = (typeof TAVERN_ERROR_CODES)[number];

/** Every error answer of the API. */
export interface ErrorBody {
  code: TavernErrorCode;
  message: string;
  retryable: boolean;
  details?: Record<string, unknown>;
}
