/**
 * Where every seated player is and what the external game says of them, as plain rules over plain
 * data: a game's write (one player, many at once, a heartbeat, its start and end) becomes a plan of
 * changes or a typed refusal, checked whole before anything changes (a bulk write is all or none).
 * The lifecycle's own changes (a drop, a return) follow the same rules: lifecycle/roomPresence.ts
 * applies both to the room's state under one version counter.
 */
import { TavernError } from "@tavern/shared/errors";
import type { GameWrite, ReportedLocation, SeatLocation } from "@tavern/shared/platform";

export interface SeatPresence {
  location: SeatLocation;
  status: string;
  spectator: boolean;
}

export interface PresenceSnapshot {
  version: number;
  seats: ReadonlyMap<string, SeatPresence>;
  currentGameId: string | undefined;
}

export interface SeatChange {
  playerId: string;
  location?: SeatLocation;
  status?: string;
}

/** What one accepted write does; `steps` is false only for a heartbeat (it moves no version). */
export interface PresencePlan {
  seats: SeatChange[];
  /** Players whose lastSeenAt becomes now. */
  seen: string[];
  game?: { started: { gameId: string; url: string } } | { ended: { gameId: string; result: Record<string, unknown> } };
  steps: boolean;
}

export function planWrite(snapshot: PresenceSnapshot, write: GameWrite): PresencePlan {
  if ("expectedVersion" in write && write.expectedVersion !== undefined && write.expectedVersion !== snapshot.version) {
    throw new TavernError(
      "VERSION_CONFLICT",
      `The room is at version ${snapshot.version}, not ${write.expectedVersion}: read it again and retry.`,
      { currentVersion: snapshot.version },
    );
  }
  switch (write.kind) {
    case "players":
      return planPlayers(snapshot, write.players);
    case "heartbeat":
      return planHeartbeat(snapshot, write.playerIds);
    case "gameStarted":
      return planGameStarted(snapshot, write.gameId, write.url ?? "");
    case "gameEnded":
      return planGameEnded(snapshot, write.gameId, write.result ?? {});
  }
}

function seatOf(snapshot: PresenceSnapshot, playerId: string): SeatPresence {
  const seat = snapshot.seats.get(playerId);
  if (!seat) throw new TavernError("NOT_FOUND", `No player ${playerId} is seated in this room.`, { playerId });
  return seat;
}

function planPlayers(
  snapshot: PresenceSnapshot,
  players: ReadonlyArray<{ playerId: string; location?: ReportedLocation | undefined; status?: string | undefined }>,
): PresencePlan {
  const seats: SeatChange[] = [];
  for (const { playerId, location, status } of players) {
    const seat = seatOf(snapshot, playerId);
    if (location === "game" && seat.spectator) {
      throw new TavernError("PERMISSION_DENIED", `${playerId} is a spectator: spectators do not go to the game.`, { playerId });
    }
    const change: SeatChange = { playerId };
    if (location !== undefined) change.location = location;
    if (status !== undefined) change.status = status;
    seats.push(change);
  }
  return { seats, seen: players.map((p) => p.playerId), steps: true };
}

function planHeartbeat(snapshot: PresenceSnapshot, playerIds: readonly string[] | undefined): PresencePlan {
  // Without a list: everyone the game has (location "game").
  const seen = playerIds ?? [...snapshot.seats].filter(([, seat]) => seat.location === "game").map(([id]) => id);
  for (const id of seen) seatOf(snapshot, id);
  return { seats: [], seen: [...seen], steps: false };
}

function planGameStarted(snapshot: PresenceSnapshot, gameId: string, url: string): PresencePlan {
  if (snapshot.currentGameId !== undefined && snapshot.currentGameId !== gameId) {
    throw new TavernError("INVALID_PHASE", `Game ${snapshot.currentGameId} is still running in this room: end it first.`, {
      currentGameId: snapshot.currentGameId,
    });
  }
  return { seats: [], seen: [], game: { started: { gameId, url } }, steps: true };
}

/** A game's end brings everyone it had back to the lobby (a dropped player returns to it later). */
function planGameEnded(snapshot: PresenceSnapshot, gameId: string, result: Record<string, unknown>): PresencePlan {
  if (snapshot.currentGameId !== gameId) {
    const running = snapshot.currentGameId === undefined ? "no game is running" : `game ${snapshot.currentGameId} is running`;
    throw new TavernError("INVALID_PHASE", `Game ${gameId} is not running in this room (${running}).`, {
      currentGameId: snapshot.currentGameId ?? null,
    });
  }
  const seats = [...snapshot.seats]
    .filter(([, seat]) => seat.location === "game")
    .map(([playerId]): SeatChange => ({ playerId, location: "lobby" }));
  return { seats, seen: [], game: { ended: { gameId, result } }, steps: true };
}
