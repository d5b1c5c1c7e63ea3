/**
 * The lobby rules every room type shares, as plain functions over plain data: who may take a seat,
 * who becomes host, when a game may start, which config changes are allowed. Rooms call these and
 * turn a thrown TavernError into a reply; nothing here knows about sockets or Colyseus.
 */
import { TavernError } from "@tavern/shared/errors";
import type { Phase, Role, RoomConfig, RoomConfigPatch } from "@tavern/shared/protocol";

/** A seat as the rules read it; its player id is the key it is filed under (a seat map's key). */
export interface Seat {
  role: Role;
  connected: boolean;
  ready: boolean;
  joinedAt: number;
}

export function countSeats(seats: Iterable<Seat>): { players: number; spectators: number } {
  let players = 0;
  let spectators = 0;
  for (const seat of seats) {
    if (seat.role === "spectator") spectators++;
    else players++;
  }
  return { players, spectators };
}

/**
 * Decides whether a newcomer (someone without a seat yet) sits as player or spectator, or refuses
 * them. Whether a player also becomes host is the room's call (the first player when there is none).
 * Seats held by disconnected players in their grace period still count: their owner may return.
 */
export function admitNewcomer(
  seats: Iterable<Seat>,
  config: RoomConfig,
  request: { wantsSpectator: boolean; isKicked: boolean },
): "player" | "spectator" {
  if (request.isKicked) {
    throw new TavernError("KICKED", "You were removed from this room by the host.");
  }
  const { players, spectators } = countSeats(seats);
  if (request.wantsSpectator) {
    if (!config.allowSpectators) {
      throw new TavernError("PERMISSION_DENIED", "This room does not allow spectators.");
    }
    if (spectators >= config.maxSpectators) {
      throw new TavernError("ROOM_FULL", `The room has no spectator seat left (${spectators}/${config.maxSpectators}).`);
    }
    return "spectator";
  }
  if (players >= config.maxPlayers) {
    throw new TavernError("ROOM_FULL", `The room is full (${players}/${config.maxPlayers} players).`);
  }
  return "player";
}

/**
 * A private room is reachable only by its code: a newcomer who did not name it (a join with no
 * code, or by room id) is told there is no such room, exactly as for a code that does not exist,
 * so a refusal does not confirm that the room is there. The host (its creator) needs no code.
 */
export function checkPrivateEntry(entry: { isPrivate: boolean; code: string; offeredCode: string | undefined; isHost: boolean }): void {
  if (!entry.isPrivate || entry.isHost || entry.offeredCode === entry.code) return;
  throw new TavernError("NOT_FOUND", "No room has that code.");
}

/**
 * The next host when the current one leaves: the longest-present connected player (spectators
 * never host); ties go to the smaller id so the choice is deterministic. Undefined when nobody
 * qualifies: the next player to join becomes host.
 */
export function pickNextHost(seats: Iterable<readonly [string, Seat]>, excludeId?: string): string | undefined {
  let best: { id: string; seat: Seat } | undefined;
  for (const [id, seat] of seats) {
    if (id === excludeId || !seat.connected || seat.role === "spectator") continue;
    if (!best || seat.joinedAt < best.seat.joinedAt || (seat.joinedAt === best.seat.joinedAt && id < best.id)) {
      best = { id, seat };
    }
  }
  return best?.id;
}

export function requireHost(actorId: string, hostId: string, action: string): void {
  if (actorId !== hostId) {
    throw new TavernError("PERMISSION_DENIED", `Only the host can ${action}.`);
  }
}

export function requirePhase(phase: Phase, allowed: readonly Phase[], action: string): void {
  if (!allowed.includes(phase)) {
    throw new TavernError("INVALID_PHASE", `You cannot ${action} while the room is in the ${phase} phase.`, {
      phase,
      allowed: [...allowed],
    });
  }
}

/**
 * Start needs at least minPlayers connected players (host included) and every connected
 * non-host player ready. The host's own ready flag is implied by pressing start.
 */
export function checkCanStart(seats: Iterable<readonly [string, Seat]>, config: RoomConfig, hostId: string): void {
  const present = [...seats].filter(([, s]) => s.role !== "spectator" && s.connected);
  if (present.length < config.minPlayers) {
    throw new TavernError("INVALID_PHASE", `At least ${config.minPlayers} connected players are needed to start (${present.length} now).`);
  }
  const waitingFor = present.filter(([id, s]) => id !== hostId && !s.ready).map(([id]) => id);
  if (waitingFor.length > 0) {
    throw new TavernError("INVALID_PHASE", `Waiting for ${waitingFor.length} player(s) to be ready.`, {
      waitingFor,
    });
  }
}

/** Applies a host's config patch, refusing combinations that contradict the room as it is. */
export function applyConfigPatch(
  current: RoomConfig,
  patch: RoomConfigPatch,
  seats: Iterable<Seat>,
  limits?: { min: number; max: number },
): RoomConfig {
  const next: RoomConfig = { ...current, ...patch };
  const { players, spectators } = countSeats(seats);
  if (limits && (next.maxPlayers > limits.max || next.minPlayers < limits.min)) {
    throw new TavernError("VALIDATION_ERROR", `This game takes ${limits.min} to ${limits.max} players.`, {
      field: next.maxPlayers > limits.max ? "maxPlayers" : "minPlayers",
    });
  }
  if (next.minPlayers > next.maxPlayers) {
    throw new TavernError("VALIDATION_ERROR", "minPlayers cannot be greater than maxPlayers.", {
      field: "minPlayers",
    });
  }
  if (next.maxPlayers < players) {
    throw new TavernError("VALIDATION_ERROR", `maxPlayers cannot be lower than the ${players} players already seated.`, {
      field: "maxPlayers",
    });
  }
  if (!next.allowSpectators && spectators > 0) {
    throw new TavernError("VALIDATION_ERROR", "Spectators are seated: they must leave before spectators are disallowed.", {
      field: "allowSpectators",
    });
  }
  if (next.maxSpectators < spectators) {
    throw new TavernError("VALIDATION_ERROR", `maxSpectators cannot be lower than the ${spectators} spectators already seated.`, {
      field: "maxSpectators",
    });
  }
  return next;
}

export function checkKick(actorId: string, hostId: string, targetId: string, seats: ReadonlyMap<string, Seat>): void {
  requireHost(actorId, hostId, "kick players");
  if (targetId === actorId) {
    throw new TavernError("VALIDATION_ERROR", "The host cannot kick themselves: transfer the host role and leave.");
  }
  if (!seats.has(targetId)) {
    throw new TavernError("NOT_FOUND", "That player is not in the room.", { playerId: targetId });
  }
}

export function checkTransferHost(actorId: string, hostId: string, targetId: string, seats: ReadonlyMap<string, Seat>): void {
  requireHost(actorId, hostId, "transfer the host role");
  const target = seats.get(targetId);
  if (!target) {
    throw new TavernError("NOT_FOUND", "That player is not in the room.", { playerId: targetId });
  }
  if (targetId === actorId) {
    throw new TavernError("VALIDATION_ERROR", "You are already the host.");
  }
  if (target.role === "spectator") {
    throw new TavernError("VALIDATION_ERROR", "A spectator cannot become host.");
  }
  if (!target.connected) {
    throw new TavernError("VALIDATION_ERROR", "That player is disconnected right now.");
  }
}
