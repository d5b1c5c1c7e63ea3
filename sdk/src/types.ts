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

export const WEBHOOK_EVENT_TYPES = [
  "player.joined",
  "player.left",
  "player.location_changed",
  "host.changed",
  "game.launch_requested",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** What `registerWebhook()` takes. */
export interface NewWebhook {
  /** `https://` to a public host, or `http://` to localhost, 127.0.0.1 or [::1] only. */
  url: string;
  /** One or more event types, each once. */
  events: WebhookEventType[];
  /** Only this room's events; without it, every room the key may reach. */
  roomCode?: string;
}

/** What `updateWebhook()` takes. */
export interface WebhookUpdate {
  enabled: boolean;
}

/** An endpoint as listed: never its secret. */
export interface WebhookEndpoint {
  id: string;
  url: string;
  events: WebhookEventType[];
  roomCode: string | null;
  /** ISO 8601. */
  createdAt: string;
  enabled: boolean;
  /** When it was disabled, by Tavern (deliveries kept failing) or by the game; `disabledReason` says which. */
  disabledAt: string | null;
  disabledReason: string | null;
  /** Deliveries that gave up one after another since the last success. */
  consecutiveFailures: number;
}

/** What `registerWebhook()` answers: the endpoint with its signing secret, shown this once. */
export interface RegisteredWebhook extends WebhookEndpoint {
  secret: string;
}

/** What `listWebhooks()` answers. */
export interface WebhookList {
  webhooks: WebhookEndpoint[];
}

export type WebhookDeliveryState = "pending" | "delivered" | "failed";

export interface WebhookAttempt {
  attempt: number;
  /** ISO 8601. */
  at: string;
  /** The receiver's HTTP status, or null when no answer came (`error` says why). */
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

export interface WebhookDelivery {
  id: number;
  eventId: string;
  eventType: WebhookEventType;
  state: WebhookDeliveryState;
  attempts: number;
  createdAt: string;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  log: WebhookAttempt[];
}

/** What `webhookDeliveries()` answers: the endpoint and its latest deliveries, newest first. */
export interface WebhookDeliveries {
  endpoint: WebhookEndpoint;
  deliveries: WebhookDelivery[];
}

/** What each event says, under `data`. */
export interface WebhookEventData {
  "player.joined": { playerId: string; name: string; role: string };
  "player.left": { playerId: string };
  "player.location_changed": { playerId: string; location: string; previousLocation: string };
  /** `hostId` is "" when nobody hosts. */
  "host.changed": { hostId: string; previousHostId: string };
  "game.launch_requested": { requestedBy: string; gameId?: string };
}

/** The body of one delivery, by type: `verifyWebhook<WebhookEvent>(...)` types the payload. */
export type WebhookEvent = {
  [T in WebhookEventType]: {
    /** Equal to the Tavern-Webhook-Id header: deduplicate by it. */
    id: string;
    type: T;
    /** ISO 8601, when the room saw it happen. */
    occurredAt: string;
    room: { code: string; type: string };
    data: WebhookEventData[T];
  };
}[WebhookEventType];
