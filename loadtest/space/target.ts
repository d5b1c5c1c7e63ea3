/**
 * What a load script needs of a shared-space server, whatever it is built on: Tavern (Colyseus,
 * schema patches) or one of the Socket.IO baselines (full snapshots, per-change events). The soak
 * drives every target through this one interface, so their numbers come from the same workload.
 */

export type TargetName = "tavern" | "snapshot" | "events";

/** One simulated player connected to a shared space. */
export interface SpacePeer {
  /** The player id the server gave this peer. */
  readonly id: string;
  /** Ids of the players this peer's copy of the room holds right now. */
  playerIds(): string[];
  /** Holds a direction (each axis -1..1); the server moves the avatar at its own tick. */
  move(dx: number, dy: number): void;
  /** Payload bytes received on this peer's socket since it connected (every message). */
  bytesReceived(): number;
  /**
   * Called for each received update that carries the server's send time (epoch ms), with the
   * local epoch ms when it was decoded: their difference is the patch latency on one machine.
   */
  onServerTime(listener: (serverTimeMs: number, receivedAtMs: number) => void): void;
  /**
   * From now on, only count bytes: updates are received but no longer decoded, so playerIds()
   * and onServerTime stop moving. Decoding every client's copy is what saturates a load script
   * sharing the server's machine; a soak keeps a few decoding clients per room to measure.
   */
  stopDecoding(): void;
  /** Called once if the connection drops without close() being called. */
  onDrop(listener: (reason: string) => void): void;
  /** Leaves the room and closes the socket. Never rejects. */
  close(): Promise<void>;
}

/** A server under test, reachable at one endpoint. */
export interface SpaceTarget {
  readonly name: TargetName;
  readonly endpoint: string;
  /** Opens a room for `capacity` players with its first player; others join it with roomKey. */
  createRoom(playerName: string, capacity: number): Promise<{ peer: SpacePeer; roomKey: string }>;
  joinRoom(roomKey: string, playerName: string): Promise<SpacePeer>;
}
