/**
 * The Socket.IO baselines' wire contract, shared by the baseline server and its client adapter.
 * Field names follow Tavern's SpaceState (shared/src/state.ts) so both carry the same information;
 * what differs is how it travels: whole JSON snapshots, or one JSON event per change.
 */
import type { Phase, Role } from "@tavern/shared/protocol";
import type { Facing } from "@tavern/shared/spaceMap";

export const BASELINE_MODES = ["snapshot", "events"] as const;
export type BaselineMode = (typeof BASELINE_MODES)[number];

export interface PlayerView {
  id: string;
  name: string;
  role: Role;
  connected: boolean;
  ready: boolean;
  /** Epoch ms of the join; the longest-present player inherits the host role. */
  joinedAt: number;
}

export interface AvatarView {
  x: number;
  y: number;
  facing: Facing;
  moving: boolean;
}

/** The whole room, as Tavern's space state holds it (minus config and chat, which never change here). */
export interface RoomView {
  code: string;
  hostId: string;
  phase: Phase;
  players: PlayerView[];
  /** Keyed by player id, like SpaceState.avatars. */
  avatars: Record<string, AvatarView>;
}

/** Every server→client message carries the server's epoch ms at emit, for latency on one machine. */
export interface Stamped {
  serverTime: number;
}

export type StateMessage = RoomView & Stamped;
export type PlayerJoinedMessage = { player: PlayerView; avatar: AvatarView } & Stamped;
export type PlayerLeftMessage = { id: string } & Stamped;
export type AvatarMovedMessage = { id: string } & AvatarView & Stamped;
/** Not in Tavern's patch vocabulary by name, but its state changes hostId and roles on migration too. */
export type HostChangedMessage = { hostId: string } & Stamped;

export type JoinReply = { id: string; roomKey: string } | { error: string };

export interface JoinRequest {
  roomKey: string;
  /** Optional when the handshake's `auth.name` already gave one. */
  name?: string;
}

export interface CreateRequest {
  name?: string;
  capacity: number;
}

export interface ServerToClientEvents {
  /** snapshot mode: the full room, at most once per tick when anything changed. */
  state: (message: StateMessage) => void;
  /** events mode: the full room, once, to a joiner. */
  welcome: (message: StateMessage) => void;
  playerJoined: (message: PlayerJoinedMessage) => void;
  playerLeft: (message: PlayerLeftMessage) => void;
  avatarMoved: (message: AvatarMovedMessage) => void;
  hostChanged: (message: HostChangedMessage) => void;
}

export interface ClientToServerEvents {
  create: (request: CreateRequest, ack: (reply: JoinReply) => void) => void;
  join: (request: JoinRequest, ack: (reply: JoinReply) => void) => void;
  /** A held direction, each axis -1..1; {0,0} stops. */
  move: (input: { dx: number; dy: number }) => void;
}
