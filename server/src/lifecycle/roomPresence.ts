/**
 * The players' locations and statuses and the room's current external game, in the room's state:
 * the one code path through which both the lifecycle (a drop, a return) and the platform API (a
 * game's writes, domain/lobby/presence.ts) change them, under one version counter
 * (`state.lobbyVersion`) that a game's write may name for optimistic locking. When each player was
 * last seen is kept here, not in the state: no client reads it, and a game's heartbeat would
 * otherwise send a patch to every client in the room.
 */
import { randomUUID } from "node:crypto";
import { TavernError, type ErrorBody } from "@tavern/shared/errors";
import type { GameWrite, RoomPlayersReply, SeatLocation, WriteReply } from "@tavern/shared/platform";
import { CurrentGameState, GameResultState, type LobbyState } from "@tavern/shared/state";
import { planWrite, type PresencePlan, type PresenceSnapshot } from "../domain/lobby/presence";

/** How long a write with waitForBroadcast waits for the patch that carries it. */
export const BROADCAST_WAIT_MS = 2000;

export type GameWriteOutcome = { ok: true; reply: WriteReply; plan: PresencePlan; repeated?: boolean } | { ok: false; error: ErrorBody };

/** Replies the room remembers by idempotency key (see write()). */
const REMEMBERED_REPLIES = 512;

export interface PresenceHost {
  readonly state: LobbyState;
  /** Resolves true once the next patch has gone out, false if none did within `ms`. */
  nextBroadcast(ms: number): Promise<boolean>;
  now?(): number;
  /** A seat's location changed, by the lifecycle or by a game's write (webhooks follow it: ./roomEvents.ts). */
  locationChanged?(playerId: string, location: SeatLocation, previous: SeatLocation): void;
  /** An accepted game write, for the audit trail (once per write: a repeat is not a second one). */
  written?(write: GameWrite, reply: WriteReply, apiKeyId: string): void;
  /** The room was used (a write that changed something): it is not idle. */
  touch?(): void;
}

export class RoomPresence {
  /** Where a dropped player was, to put them back there on return. */
  private readonly resume = new Map<string, SeatLocation>();
  /**
   * The last replies by idempotency key. The HTTP side stores replies in the database, but a
   * process that dies between the room's change and that store leaves the retry to run again:
   * the room, if it lives, answers it from here instead of changing twice.
   */
  private readonly remembered = new Map<string, Extract<GameWriteOutcome, { ok: true }>>();
  /** Epoch ms each seated player was last seen: a connection, a drop, a return, a game's report or heartbeat. */
  private readonly lastSeen = new Map<string, number>();

  constructor(private readonly host: PresenceHost) {}

  private now(): number {
    return this.host.now?.() ?? Date.now();
  }

  /** A client holds the seat (new, reclaimed or reconnected): seen now, back where they were. */
  seated(playerId: string): void {
    const seat = this.host.state.players.get(playerId);
    if (!seat) return;
    this.lastSeen.set(playerId, this.now());
    const back = this.resume.get(playerId);
    this.resume.delete(playerId);
    if (seat.location === "disconnected") this.relocate(playerId, back ?? "lobby");
  }

  /** The connection dropped; the seat is held. */
  dropped(playerId: string): void {
    const seat = this.host.state.players.get(playerId);
    if (!seat || seat.location === "disconnected") return;
    this.resume.set(playerId, seat.location);
    this.lastSeen.set(playerId, this.now());
    this.relocate(playerId, "disconnected");
  }

  removed(playerId: string): void {
    this.resume.delete(playerId);
    this.lastSeen.delete(playerId);
  }

  /** A game's write: applied whole or refused (the reply says which); with `waitForBroadcast`, answered once its patch went out. */
  async write(write: GameWrite, waitForBroadcast: boolean, dedupeKey?: string, apiKeyId = ""): Promise<GameWriteOutcome> {
    const earlier = dedupeKey ? this.remembered.get(dedupeKey) : undefined;
    if (earlier) return { ...earlier, repeated: true };
    let plan: PresencePlan;
    try {
      plan = planWrite(this.snapshot(), write);
    } catch (err) {
      if (err instanceof TavernError) return { ok: false, error: err.toBody() };
      throw err;
    }
    this.apply(plan);
    const reply: WriteReply = { roomCode: this.host.state.code, version: this.host.state.lobbyVersion, updateId: randomUUID() };
    const outcome = { ok: true as const, reply, plan };
    if (dedupeKey) this.remember(dedupeKey, outcome);
    this.host.written?.(write, reply, apiKeyId);
    if (plan.steps) this.host.touch?.();
    if (waitForBroadcast) reply.broadcast = await this.host.nextBroadcast(BROADCAST_WAIT_MS);
    return outcome;
  }

  read(roomType: string): RoomPlayersReply {
    const { state } = this.host;
    const game = state.currentGame;
    const last = state.lastGame;
    return {
      roomCode: state.code,
      roomType,
      version: state.lobbyVersion,
      currentGame: game ? { gameId: game.gameId, startedAt: game.startedAt, ...(game.url ? { url: game.url } : {}) } : null,
      lastResult: last ? { gameId: last.gameId, endedAt: last.endedAt, result: JSON.parse(last.result) as Record<string, unknown> } : null,
      players: [...state.players.entries()].map(([playerId, p]) => ({
        playerId,
        name: p.name,
        role: p.role,
        connected: p.connected,
        location: p.location,
        status: p.status,
        lastSeenAt: this.lastSeen.get(playerId) ?? 0,
      })),
    };
  }

  private remember(key: string, outcome: Extract<GameWriteOutcome, { ok: true }>): void {
    this.remembered.set(key, outcome);
    if (this.remembered.size > REMEMBERED_REPLIES) this.remembered.delete(this.remembered.keys().next().value!);
  }

  private snapshot(): PresenceSnapshot {
    const { state } = this.host;
    const seats = new Map(
      [...state.players.entries()].map(([id, p]) => [id, { location: p.location, status: p.status, spectator: p.role === "spectator" }]),
    );
    return { version: state.lobbyVersion, seats, currentGameId: state.currentGame?.gameId };
  }

  private apply(plan: PresencePlan): void {
    const { state } = this.host;
    const now = this.now();
    for (const change of plan.seats) {
      const seat = state.players.get(change.playerId)!; // planWrite checked every seat
      if (change.status !== undefined) seat.status = change.status;
      if (change.location !== undefined && change.location !== seat.location) {
        const previous = seat.location;
        seat.location = change.location;
        this.host.locationChanged?.(change.playerId, change.location, previous);
      }
    }
    for (const id of plan.seen) if (state.players.has(id)) this.lastSeen.set(id, now);
    if (plan.game && "started" in plan.game) {
      const { gameId, url } = plan.game.started;
      state.currentGame = new CurrentGameState().assign({ gameId, url, startedAt: state.currentGame?.startedAt ?? now });
    } else if (plan.game) {
      const { gameId, result } = plan.game.ended;
      state.currentGame = undefined;
      state.lastGame = new GameResultState().assign({ gameId, endedAt: now, result: JSON.stringify(result) });
      // Dropped players who were in the game come back to the lobby.
      for (const [id, where] of this.resume) if (where === "game") this.resume.set(id, "lobby");
    }
    if (plan.steps) state.lobbyVersion++;
  }

  private relocate(playerId: string, location: SeatLocation): void {
    const seat = this.host.state.players.get(playerId);
    if (!seat || seat.location === location) return;
    const previous = seat.location;
    seat.location = location;
    this.host.state.lobbyVersion++;
    this.host.locationChanged?.(playerId, location, previous);
  }
}
