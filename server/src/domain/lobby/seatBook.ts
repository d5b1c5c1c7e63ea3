/**
 * Which connection holds which player's seat, as plain data: a seat is keyed by player id, the
 * newest connection of a player owns it (reload, second tab), a dropped connection's seat may be
 * held for a reconnection, and every connection is counted once while connected. Generic over the
 * connection and the reservation types, so it knows nothing of sockets.
 */
export interface Connection {
  sessionId: string;
}

/** `R` is whatever holds a dropped connection's seat (the room's reconnection promise); the book only keeps it. */
export class SeatBook<C extends Connection, R = unknown> {
  /** sessionId → playerId for every connection that holds (or held) a seat. */
  private readonly playerOfSession = new Map<string, string>();
  /** playerId → the connection owning that seat now. */
  private readonly connectionOfPlayer = new Map<string, C>();
  /** playerId → the grace-period reservation of a dropped connection. */
  private readonly reservations = new Map<string, R>();
  private readonly counted = new Set<string>();

  /** The player whose seat this exact connection owns now (undefined once replaced, refused, kicked). */
  ownerOf(connection: C): string | undefined {
    const playerId = this.playerOfSession.get(connection.sessionId);
    if (!playerId) return undefined;
    return this.connectionOfPlayer.get(playerId)?.sessionId === connection.sessionId ? playerId : undefined;
  }

  /** The player this session ever sat as (a reconnection comes back under the old session id). */
  playerOfSessionId(sessionId: string): string | undefined {
    return this.playerOfSession.get(sessionId);
  }

  /** What holds this player's seat for a dropped connection, if anything does. */
  holdOf(playerId: string): R | undefined {
    return this.reservations.get(playerId);
  }

  connectionOf(playerId: string): C | undefined {
    return this.connectionOfPlayer.get(playerId);
  }

  /**
   * `connection` takes the player's seat. Answers what it displaced: the reservation of a dropped
   * connection (to reject), or a live older connection (to close).
   */
  take(playerId: string, connection: C): { reservation?: R; previous?: C } {
    const reservation = this.reservations.get(playerId);
    const previous = this.connectionOfPlayer.get(playerId);
    this.reservations.delete(playerId);
    this.connectionOfPlayer.set(playerId, connection);
    this.playerOfSession.set(connection.sessionId, playerId);
    if (reservation) return { reservation };
    return previous && previous !== connection ? { previous } : {};
  }

  /** The seat is held for the dropped connection's return. */
  hold(playerId: string, reservation: R): void {
    this.reservations.set(playerId, reservation);
  }

  /** A held connection came back. */
  returned(playerId: string, connection: C): void {
    this.reservations.delete(playerId);
    this.connectionOfPlayer.set(playerId, connection);
  }

  /** The connection is gone for good; answers the player whose seat it owned, if any. */
  left(connection: C): string | undefined {
    const playerId = this.ownerOf(connection);
    this.playerOfSession.delete(connection.sessionId);
    if (playerId) this.release(playerId);
    return playerId;
  }

  /** The connection is gone while its seat stays held (no reconnection will come under its session id). */
  forgetSession(sessionId: string): void {
    this.playerOfSession.delete(sessionId);
  }

  /** The seat is free: answers the connection and reservation it had (a kick closes or rejects them). */
  release(playerId: string): { connection?: C; reservation?: R } {
    const connection = this.connectionOfPlayer.get(playerId);
    const reservation = this.reservations.get(playerId);
    this.connectionOfPlayer.delete(playerId);
    this.reservations.delete(playerId);
    return { ...(connection ? { connection } : {}), ...(reservation ? { reservation } : {}) };
  }

  /** Marks the connection connected or not; true when that changed (count it in a gauge then). */
  count(connection: C, connected: boolean): boolean {
    const was = this.counted.has(connection.sessionId);
    if (was === connected) return false;
    if (connected) this.counted.add(connection.sessionId);
    else this.counted.delete(connection.sessionId);
    return true;
  }
}
