/**
 * The wire contract shared by server and client: join options, room config, and every lifecycle
 * request with its payload validator. docs/PROTOCOL.md describes the same in words.
 */
import { z } from "zod";
import { characterSchema } from "./characters";
import { safeString } from "./text";

export const ROOM_TYPES = ["space", "table", "cabo"] as const;
export type RoomType = (typeof ROOM_TYPES)[number];

export const ROLES = ["host", "player", "spectator"] as const;
export type Role = (typeof ROLES)[number];

export const PHASES = ["lobby", "playing", "finished"] as const;
export type Phase = (typeof PHASES)[number];

/** Characters allowed in names and chat: printable text, no control characters. */
export const printable = (max: number) =>
  safeString()
    .trim()
    .min(1, "must not be empty")
    .max(max, `must be at most ${max} characters`)
    // eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), "must not contain control characters");

export const playerNameSchema = printable(32);
export const chatTextSchema = printable(500);

export const ROOM_LIMITS = {
  maxPlayers: { min: 1, max: 500 },
  maxSpectators: { min: 0, max: 500 },
  reconnectGraceSeconds: { min: 0, max: 600 },
  idleTimeoutSeconds: { min: 5, max: 86_400 },
} as const;

const int = (min: number, max: number) => z.number().int().min(min).max(max);

/** Every field a host may set; all optional in a patch, filled with defaults at creation. */
export const roomConfigSchema = z
  .object({
    maxPlayers: int(ROOM_LIMITS.maxPlayers.min, ROOM_LIMITS.maxPlayers.max),
    minPlayers: int(1, ROOM_LIMITS.maxPlayers.max),
    allowSpectators: z.boolean(),
    maxSpectators: int(ROOM_LIMITS.maxSpectators.min, ROOM_LIMITS.maxSpectators.max),
    private: z.boolean(),
    reconnectGraceSeconds: int(ROOM_LIMITS.reconnectGraceSeconds.min, ROOM_LIMITS.reconnectGraceSeconds.max),
    idleTimeoutSeconds: int(ROOM_LIMITS.idleTimeoutSeconds.min, ROOM_LIMITS.idleTimeoutSeconds.max),
    /**
     * Newcomers (player ids without a seat) must knock and wait for the host's answer. Not
     * Colyseus's own room lock, which would shut out seated players coming back too.
     */
    locked: z.boolean(),
  })
  .strict();
export type RoomConfig = z.infer<typeof roomConfigSchema>;

export const roomConfigPatchSchema = roomConfigSchema.partial().strict();
export type RoomConfigPatch = z.infer<typeof roomConfigPatchSchema>;

/** Options of `client.create(type, options)` and of `POST /api/rooms`. */
export const createRoomOptionsSchema = z
  .object({
    config: roomConfigPatchSchema.optional(),
    spectator: z.boolean().optional(),
    /**
     * Re-create a room under a code that is free again (after a server restart). Not `code`:
     * that option means "join the room with this code" to the join gate.
     */
    restoreCode: z.string().max(32).optional(),
  })
  .passthrough();

/** Options of `client.join(type, options)`. */
export const joinOptionsSchema = z
  .object({
    code: z.string().max(32).optional(),
    spectator: z.boolean().optional(),
    /**
     * Ask the host to be let in when the room is locked: the join then waits for the answer.
     * Without it a locked room answers KNOCK_REQUIRED at once, so a client knows to show that it
     * is waiting before it waits.
     */
    knock: z.boolean().optional(),
  })
  .passthrough();
export type JoinOptions = z.infer<typeof joinOptionsSchema>;

export const createRoomBodySchema = z
  .object({
    type: z.string().max(32),
    config: roomConfigPatchSchema.optional(),
  })
  .strict();

/**
 * A browser's device id: opaque, made once per browser and sent at every sign-in, so that a kick
 * covers the device and not only the one guest. Clearing the browser's storage makes a new one:
 * it slows a kicked player down, it does not stop a determined one (hence locked rooms).
 */
export const deviceIdSchema = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, "must be 16 to 64 characters: letters, digits, _ or -");

/** `character` is the avatar picked at sign-in (an index in CHARACTERS); without it a room gives one. */
export const guestBodySchema = z
  .object({ name: playerNameSchema, deviceId: deviceIdSchema.optional(), character: characterSchema.optional() })
  .strict();

/** A user name an account is claimed under: what a player types to sign in from another browser. */
export const usernameSchema = z
  .string()
  .trim()
  .regex(/^[\p{L}\p{N}_.-]{3,32}$/u, "must be 3 to 32 letters, digits, _ . or -");
export const passwordSchema = z.string().min(10, "must be at least 10 characters").max(256, "must be at most 256 characters");

export const claimBodySchema = z.object({ username: usernameSchema, password: passwordSchema }).strict();
export const loginBodySchema = z
  .object({ username: z.string().max(64), password: z.string().max(256), deviceId: deviceIdSchema.optional() })
  .strict();
export const passwordChangeBodySchema = z.object({ currentPassword: z.string().max(256), newPassword: passwordSchema }).strict();

/** Who a token belongs to, and the account it is claimed under (if any): GET /api/auth/me. */
export interface AccountView {
  playerId: string;
  name: string;
  /** The account's user name; undefined for a guest who has not claimed one. */
  username?: string;
  expiresAt: string;
}

const empty = z.object({}).strict().optional();
const playerIdSchema = z.string().min(1).max(64);

/** Lifecycle requests (`room.request(type, payload)`) that every room type answers. */
export const lifecycleRequests = {
  ready: z.object({ ready: z.boolean() }).strict(),
  config: roomConfigPatchSchema,
  start: empty,
  finish: empty,
  reset: empty,
  kick: z.object({ playerId: playerIdSchema }).strict(),
  /** Lock or unlock the room (any phase; `config` changes `locked` too, in the lobby only). */
  lock: z.object({ locked: z.boolean() }).strict(),
  /** Let a knocker in (`admit: true`) or turn them away. */
  answerKnock: z.object({ knockId: z.string().min(1).max(64), admit: z.boolean() }).strict(),
  transferHost: z.object({ playerId: playerIdSchema }).strict(),
  chat: z.object({ text: chatTextSchema }).strict(),
  ping: empty,
  /**
   * The host asks for the external game to start: sent to the game's webhook endpoints as
   * game.launch_requested (docs/WEBHOOKS.md). `gameId` at most 64 characters, as the platform
   * API's game ids (shared/src/platform.ts imports this module, so the limit is written here).
   */
  launchGame: z
    .object({ gameId: printable(64).optional() })
    .strict()
    .optional(),
  /** Integrity check: `{ version, hash }` of the state as of the patch sent just before the reply. */
  stateHash: empty,
  /**
   * The client's decoded state did not hash to the server's: it says so (for the operators'
   * alert, tavern_client_integrity_mismatches_total) before it joins again.
   */
  integrityMismatch: empty,
} as const;
export type LifecycleRequestType = keyof typeof lifecycleRequests;

const coordinate = z.number().finite().min(-1e6).max(1e6);

/** Requests of the `space` room. Movement is input: the server moves avatars at its own tick. */
export const spaceRequests = {
  /** Held direction (keyboard); longer than 1 is clamped, {0,0} stops. */
  move: z.object({ dx: z.number().finite().min(-1).max(1), dy: z.number().finite().min(-1).max(1) }).strict(),
  /** Walk toward a point (click to move); replaced by the next move or moveTo. */
  moveTo: z.object({ x: coordinate, y: coordinate }).strict(),
} as const;

/** Server → client broadcast messages. */
export interface AnnouncementMessage {
  /** not-saved: to the GM alone, a write of the session that failed for good (see `unsaved`). */
  kind: "host-changed" | "player-kicked" | "phase-changed" | "player-replaced" | "not-saved";
  text: string;
  playerId?: string;
  previousHostId?: string;
  /** With not-saved: what was not saved. */
  unsaved?: UnsavedKind;
}

/** What a table saves in the background, as its GM is told it was not saved. */
export type UnsavedKind = "room-settings" | "gm-change" | "roll" | "chat" | "secretRoll" | "gmNote";
export interface ClosingMessage {
  reason: "idle" | "kicked" | "replaced" | "shutdown";
  message: string;
}

/** Someone waiting at a locked room's door, as the host sees them. */
export interface KnockSummary {
  /** The knock's own id (not the knocker's player id), for answerKnock. */
  id: string;
  name: string;
  spectator: boolean;
  /** Epoch ms when they knocked. */
  at: number;
}
/** Sent to the host alone whenever the list of knocks changes, and to a new host. */
export interface KnocksMessage {
  knocks: KnockSummary[];
}

/** Close codes a room uses when it ends a connection on purpose (none of them triggers SDK reconnection). */
export const CLOSE_CODES = {
  /** Normal consented leave (Colyseus CloseCode.CONSENTED). */
  CONSENTED: 4000,
  /** The room was idle past its timeout and closed. */
  IDLE: 4100,
  /** The host kicked this player; rejoining is refused. */
  KICKED: 4101,
  /** The same player joined from another tab or device; this connection was replaced. */
  REPLACED: 4102,
} as const;

export interface GuestSession {
  token: string;
  playerId: string;
  name: string;
  /** The device id the token carries: the one sent at sign-in, or a new one. Keep it for the next sign-in. */
  deviceId: string;
  /** The character picked at sign-in (an index in CHARACTERS), when one was. */
  character?: number;
  expiresAt: string;
  /** The account's user name, when the player claimed one. */
  username?: string;
}

export interface RoomSummary {
  roomId: string;
  type: string;
  code: string;
  phase: Phase;
  players: number;
  spectators: number;
  maxPlayers: number;
  private: boolean;
  hostName: string;
  createdAt: string;
  /** False for a stored table session whose room is closed: joining by its code opens it. */
  open: boolean;
}

export interface RoomListingMetadata {
  code: string;
  phase: Phase;
  players: number;
  spectators: number;
  maxPlayers: number;
  hostName: string;
}
