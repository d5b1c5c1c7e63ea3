/**
 * Schema state shared by server (which alone mutates it) and client (which decodes and renders it).
 * Every room type's state extends LobbyState, so the lifecycle fields look the same everywhere.
 */
import { schema, t, type SchemaType } from "@colyseus/schema";
import type { Phase, Role, RoomConfig } from "./protocol";
import type { Facing } from "./spaceMap";
import type { SeatLocation } from "./platform";

/**
 * A player's avatar in the shared space (a seat's `avatar`; spectators and other room types have
 * none). Held by the seat rather than in a map of its own, so a join names the player id once.
 */
export const AvatarState = schema(
  {
    x: t.number().default(0),
    y: t.number().default(0),
    facing: t.string<Facing>().default("down"),
    moving: t.boolean().default(false),
  },
  "AvatarState",
);
export type AvatarState = SchemaType<typeof AvatarState>;

export const PlayerState = schema(
  {
    name: t.string().default(""),
    role: t.string<Role>().default("player"),
    connected: t.boolean().default(true),
    ready: t.boolean().default(false),
    /** Epoch milliseconds of the first join; host migration picks the smallest. */
    joinedAt: t.number().default(0),
    /** Where the player is (the lobby, an external game, without a connection): see lifecycle/roomPresence.ts. */
    location: t.string<SeatLocation>().default("lobby"),
    /** A short text an external game reports ("in the boss fight"); "" for none. */
    status: t.string().default(""),
    /** The avatar's look: an index in CHARACTERS (shared/src/characters.ts), one byte on the wire. */
    character: t.uint8().default(0),
    /** Where the player stands in a space room (SpaceRoom); absent for spectators and elsewhere. */
    avatar: t.ref(AvatarState).optional(),
  },
  "PlayerState",
);
export type PlayerState = SchemaType<typeof PlayerState>;

export const RoomConfigState = schema(
  {
    maxPlayers: t.uint16().default(8),
    minPlayers: t.uint16().default(1),
    allowSpectators: t.boolean().default(true),
    maxSpectators: t.uint16().default(20),
    private: t.boolean().default(false),
    reconnectGraceSeconds: t.uint16().default(30),
    idleTimeoutSeconds: t.uint32().default(1800),
    locked: t.boolean().default(false),
  },
  "RoomConfigState",
);
export type RoomConfigState = SchemaType<typeof RoomConfigState>;

/** The plain config a room's config state holds (what requests, storage and rules read). */
export function roomConfigOf(c: RoomConfigState): RoomConfig {
  const {
    maxPlayers,
    minPlayers,
    allowSpectators,
    maxSpectators,
    private: isPrivate,
    reconnectGraceSeconds,
    idleTimeoutSeconds,
    locked,
  } = c;
  return { maxPlayers, minPlayers, allowSpectators, maxSpectators, private: isPrivate, reconnectGraceSeconds, idleTimeoutSeconds, locked };
}

export const ChatLineState = schema(
  {
    /** Empty for system lines (host changes, kicks). */
    playerId: t.string().default(""),
    name: t.string().default(""),
    text: t.string().default(""),
    at: t.number().default(0),
  },
  "ChatLineState",
);
export type ChatLineState = SchemaType<typeof ChatLineState>;

/** The external game the room's players went to, while it runs. */
export const CurrentGameState = schema(
  {
    gameId: t.string().default(""),
    startedAt: t.number().default(0),
    /** Where players go to play it; "" when the game gave none. */
    url: t.string().default(""),
  },
  "CurrentGameState",
);
export type CurrentGameState = SchemaType<typeof CurrentGameState>;

/** How the last external game ended, as it reported. */
export const GameResultState = schema(
  {
    gameId: t.string().default(""),
    endedAt: t.number().default(0),
    /** The game's result object as JSON (bounded by GAME_RESULT_MAX_BYTES). */
    result: t.string().default("{}"),
  },
  "GameResultState",
);
export type GameResultState = SchemaType<typeof GameResultState>;

export const LobbyState = schema(
  {
    code: t.string().default(""),
    phase: t.string<Phase>().default("lobby"),
    hostId: t.string().default(""),
    config: t.ref(RoomConfigState).default(() => new RoomConfigState()),
    players: t.map(PlayerState),
    chat: t.array(ChatLineState),
    /** Steps once per change of the players' locations and statuses or the current game: optimistic locking for the platform API. */
    lobbyVersion: t.uint32().default(0),
    currentGame: t.ref(CurrentGameState).optional(),
    lastGame: t.ref(GameResultState).optional(),
  },
  "LobbyState",
);
export type LobbyState = SchemaType<typeof LobbyState>;

/** The shared 2D space: the lifecycle plus avatars (each on its player's seat). */
export const SpaceState = LobbyState.extend(
  {
    /**
     * Server epoch milliseconds when the last patch that moved an avatar was encoded. Clients use
     * it to place movement in time (interpolation) and load scripts to measure patch latency;
     * patches that move nothing leave it alone, so an idle room sends nothing.
     */
    serverTime: t.number().default(0),
  },
  "SpaceState",
);
export type SpaceState = SchemaType<typeof SpaceState>;

/** How many chat lines a room keeps in its state (older lines are dropped). */
export const CHAT_HISTORY = 30;

/** Every avatar in a room's state with its player id: the seats that have one. */
export function* avatarsOf(state: Pick<LobbyState, "players">): Generator<[playerId: string, avatar: AvatarState]> {
  for (const [playerId, seat] of state.players) if (seat.avatar) yield [playerId, seat.avatar];
}
