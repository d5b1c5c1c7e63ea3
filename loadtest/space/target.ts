/**
 * What a load script needs of a shared-space server, whatever it is built on: Tavern (Colyseus,
 * schema patches), a bare Colyseus room (the framework alone) or one of the Socket.IO baselines
 * (full snapshots, per-change events). The soak
 * and the join storm drive every target through this one interface, so their numbers come from
 * the same workload.
 */

export const TARGET_NAMES = ["tavern", "colyseus", "snapshot", "events"] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

/** A player as one peer's copy of the room holds it. */
export interface SeenPlayer {
  id: string;
  name: string;
}

/** One simulated player connected to a shared space. */
export interface SpacePeer {
  /** The player id the server gave this peer. */
  readonly id: string;
  /** The players this peer's copy of the room holds right now. */
  players(): SeenPlayer[];
  /** How many players this peer's copy holds; players().length without building the list. */
  playerCount(): number;
  /**
   * Called after each update this peer decoded and applied to its copy (a patch, a snapshot, an
   * event), so a script can stamp the moment a copy reaches some state without polling.
   */
  onUpdate(listener: () => void): void;
  /** Holds a direction (each axis -1..1); the server moves the avatar at its own tick. */
  move(dx: number, dy: number): void;
  /**
   * WebSocket payload bytes received on this peer's socket since the socket opened (every
   * message, the join handshake and the first room view included).
   */
  bytesReceived(): number;
  /**
   * Called for each received update that carries the server's send time (epoch ms), with the
   * local epoch ms when it was decoded: their difference is the patch latency on one machine.
   */
  onServerTime(listener: (serverTimeMs: number, receivedAtMs: number) => void): void;
  /**
   * From now on, only count bytes: updates are received but no longer decoded, so players(),
   * onUpdate and onServerTime stop moving. Decoding every client's copy is what saturates a load
   * script sharing the server's machine; a soak keeps a few decoding clients per room to measure.
   */
  stopDecoding(): void;
  /** Called once if the connection drops without close() being called. */
  onDrop(listener: (reason: string) => void): void;
  /** Leaves the room and closes the socket; false when the server did not confirm in time. Never rejects. */
  close(): Promise<boolean>;
}

/**
 * A player made ready to enter a room: whatever must happen before a client can ask for a seat
 * (Tavern: a guest sign-in over HTTP) is done, so timing create/join measures taking the seat
 * only. Each of create and join may be called once; on failure it releases what it opened.
 */
export interface PreparedPlayer<P extends SpacePeer = SpacePeer> {
  /**
   * Opens a room for `capacity` players with this player in it. Resolves once the peer holds a
   * view of the room that includes itself.
   */
  create(capacity: number): Promise<{ peer: P; roomKey: string }>;
  /** Joins the room `roomKey`; resolves once the peer holds a view of the room that includes itself. */
  join(roomKey: string): Promise<P>;
  /** Releases what preparing opened, for a player that never called create or join. Never rejects. */
  discard(): Promise<void>;
}

/** A server under test, reachable at one endpoint. */
export interface SpaceTarget<P extends SpacePeer = SpacePeer> {
  readonly name: TargetName;
  readonly endpoint: string;
  /** Readies a player to take a seat; `deadline` (epoch ms) bounds the preparation. */
  prepare(playerName: string, deadline?: number): Promise<PreparedPlayer<P>>;
}

/** Prepares a player and opens a room with it, for scripts that do not time the two apart. */
export async function createRoom<P extends SpacePeer>(
  target: SpaceTarget<P>,
  playerName: string,
  capacity: number,
): Promise<{ peer: P; roomKey: string }> {
  return (await target.prepare(playerName)).create(capacity);
}

/** Prepares a player and joins it to a room, for scripts that do not time the two apart. */
export async function joinRoom<P extends SpacePeer>(target: SpaceTarget<P>, roomKey: string, playerName: string): Promise<P> {
  return (await target.prepare(playerName)).join(roomKey);
}
