/**
 * The platform API's wire contract: what external games send to Tavern over HTTP and what they
 * are answered, the seat locations and statuses every room shows, the API key scopes. The server
 * validates with these schemas, the OpenAPI document is made from them, and the game SDK mirrors
 * the types (it depends on nothing of Tavern's).
 */
import { z } from "zod";
import { ERROR_CODES } from "./errors";
import { printable, ROLES } from "./protocol";
import { safeString } from "./text";

/** Where a seated player is: in the Tavern room, in the external game, or without a connection. */
export const SEAT_LOCATIONS = ["lobby", "game", "disconnected"] as const;
export type SeatLocation = (typeof SEAT_LOCATIONS)[number];
/** What a game may report: "disconnected" is the lifecycle's to say (a dropped connection). */
export const REPORTED_LOCATIONS = ["lobby", "game"] as const;
export type ReportedLocation = (typeof REPORTED_LOCATIONS)[number];

export const STATUS_MAX_LENGTH = 64;
export const GAME_ID_MAX_LENGTH = 64;
/** A game result as stored and shown: any JSON object up to this size once serialised. */
export const GAME_RESULT_MAX_BYTES = 4096;
/** Players one bulk call may update at most (a room holds no more than this many seats). */
export const BULK_MAX_PLAYERS = 256;

export const API_KEY_SCOPES = ["rooms:read", "players:write", "games:write", "webhooks:manage"] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];
/** Every key starts with this, so a leaked one is recognisable (secret scanners, logs). */
export const API_KEY_PREFIX = "tvk_";

const playerId = z.string().min(1).max(64);
const statusText = safeString()
  .max(STATUS_MAX_LENGTH, `must be at most ${STATUS_MAX_LENGTH} characters`)
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), "must not contain control characters");
/** Optimistic locking: a write carrying it applies only at exactly this room version. */
const expectedVersion = z.number().int().min(0).optional();

export const playerUpdateSchema = z
  .object({
    location: z.enum(REPORTED_LOCATIONS).optional(),
    status: statusText.optional(),
  })
  .strict()
  .refine((u) => u.location !== undefined || u.status !== undefined, "give a location, a status or both");
export type PlayerUpdate = z.infer<typeof playerUpdateSchema>;

export const playerStatusBodySchema = z
  .object({ location: z.enum(REPORTED_LOCATIONS).optional(), status: statusText.optional(), expectedVersion })
  .strict()
  .refine((u) => u.location !== undefined || u.status !== undefined, "give a location, a status or both");

export const bulkStatusBodySchema = z
  .object({
    players: z
      .array(z.object({ playerId, location: z.enum(REPORTED_LOCATIONS).optional(), status: statusText.optional() }).strict())
      .min(1)
      .max(BULK_MAX_PLAYERS)
      .refine((ps) => new Set(ps.map((p) => p.playerId)).size === ps.length, "names a player twice"),
    expectedVersion,
  })
  .strict();

export const heartbeatBodySchema = z.object({ playerIds: z.array(playerId).max(BULK_MAX_PLAYERS).optional() }).strict();

const gameId = printable(GAME_ID_MAX_LENGTH);
export const gameStartedBodySchema = z
  .object({
    gameId,
    url: z
      .url({ protocol: /^https?$/ })
      .max(2048)
      .optional(),
    expectedVersion,
  })
  .strict();

export const gameEndedBodySchema = z
  .object({
    gameId,
    result: z
      .record(z.string().max(64), z.unknown())
      .refine((r) => JSON.stringify(r).length <= GAME_RESULT_MAX_BYTES, `must be at most ${GAME_RESULT_MAX_BYTES} bytes of JSON`)
      .optional(),
    expectedVersion,
  })
  .strict();

/** One write to a room's player status, as the room applies it (every HTTP write becomes one). */
export type GameWrite =
  | { kind: "players"; players: Array<{ playerId: string } & PlayerUpdate>; expectedVersion?: number | undefined }
  | { kind: "heartbeat"; playerIds?: string[] | undefined }
  | { kind: "gameStarted"; gameId: string; url?: string | undefined; expectedVersion?: number | undefined }
  | { kind: "gameEnded"; gameId: string; result?: Record<string, unknown> | undefined; expectedVersion?: number | undefined };

/** The answer to every write: the room's version after it, and the id of this update. */
export const writeReplySchema = z.object({
  roomCode: z.string(),
  /** The room's version after the write (a heartbeat leaves it as it was). */
  version: z.number().int().min(0),
  updateId: z.string(),
  /** With ?waitForBroadcast=true: whether the patch carrying the change went to the room's clients in time. */
  broadcast: z.boolean().optional(),
});
export type WriteReply = z.infer<typeof writeReplySchema>;

export const playerStatusViewSchema = z.object({
  playerId: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  connected: z.boolean(),
  location: z.enum(SEAT_LOCATIONS),
  status: z.string(),
  /** Epoch milliseconds: the last connection, return, report or heartbeat. */
  lastSeenAt: z.number(),
});
export type PlayerStatusView = z.infer<typeof playerStatusViewSchema>;

export const currentGameViewSchema = z.object({
  gameId: z.string(),
  /** Epoch milliseconds of the first game-started report. */
  startedAt: z.number(),
  url: z.string().optional(),
});
export type CurrentGameView = z.infer<typeof currentGameViewSchema>;

export const lastGameResultSchema = z.object({
  gameId: z.string(),
  /** Epoch milliseconds. */
  endedAt: z.number(),
  result: z.record(z.string(), z.unknown()),
});
export type LastGameResult = z.infer<typeof lastGameResultSchema>;

export const roomPlayersReplySchema = z.object({
  roomCode: z.string(),
  roomType: z.string(),
  version: z.number().int().min(0),
  currentGame: currentGameViewSchema.nullable(),
  lastResult: lastGameResultSchema.nullable(),
  players: z.array(playerStatusViewSchema),
});
export type RoomPlayersReply = z.infer<typeof roomPlayersReplySchema>;

/** Every HTTP error of the platform API: `retryable` always present (see RETRYABLE in ./errors). */
export const httpErrorBodySchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  retryable: z.boolean(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type HttpErrorBody = z.infer<typeof httpErrorBodySchema>;

export const createApiKeyBodySchema = z
  .object({
    name: printable(64),
    scopes: z.array(z.enum(API_KEY_SCOPES)).min(1).max(API_KEY_SCOPES.length),
    /** Only this room (by code) may be reached with the key. */
    roomCode: z.string().max(32).optional(),
    expiresInSeconds: z
      .number()
      .int()
      .min(60)
      .max(10 * 365 * 86_400)
      .optional(),
  })
  .strict();
export type CreateApiKeyBody = z.infer<typeof createApiKeyBodySchema>;

export const rotateApiKeyBodySchema = z
  .object({
    graceSeconds: z
      .number()
      .int()
      .min(0)
      .max(30 * 86_400),
  })
  .strict();

/** A key as listed: never its secret. */
export interface ApiKeyView {
  id: string;
  name: string;
  scopes: ApiKeyScope[];
  roomCode: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
  /** The key that replaced this one by rotation, if any. */
  replacedBy: string | null;
}

/** Creation and rotation answer the secret once, with the key's listing. */
export interface IssuedApiKey extends ApiKeyView {
  key: string;
}
