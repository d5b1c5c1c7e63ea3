/**
 * The room-switching verdict as pure functions of plain data: where the script put every player
 * (the truth) against each copy of each room (a client's decoded state, the server's admin state,
 * the admin listing). No SDK or network here, so the checks are unit-tested on their own.
 */

/** Where the script put players: everyone in `playerIds` should be in the room, nobody else. */
export interface ExpectedRoom {
  code: string;
  roomId: string;
  playerIds: readonly string[];
}

export interface SeenSeat {
  /** The key of the players map: the player id. */
  key: string;
  connected: boolean;
}

/** One copy of one room: a client's decoded state, or the server's. */
export interface RoomView {
  /** A client's player id, or SERVER_VIEWER. */
  viewer: string;
  code: string;
  /** Null when the viewer holds no state of the room (nothing decoded yet, or its connection closed). */
  players: readonly SeenSeat[] | null;
  /** The seats holding an avatar (space rooms); undefined when the view has none to check. */
  avatarIds?: readonly string[];
  /** The close code when the viewer's connection to this room closed although it should be in it. */
  closeCode: number | null;
}

/** A seat as any copy holds it (a decoded PlayerState, or its JSON in the admin state). */
export interface SeatLike {
  connected?: unknown;
  avatar?: unknown;
}

/** The seats and avatars of a space room's players map, from its entries (decoded or JSON). */
export function seatsOf(entries: Iterable<readonly [string, SeatLike | undefined]>): Pick<RoomView, "players" | "avatarIds"> {
  const players: SeenSeat[] = [];
  const avatarIds: string[] = [];
  for (const [key, seat] of entries) {
    players.push({ key, connected: seat?.connected === true });
    if (seat?.avatar) avatarIds.push(key);
  }
  return { players, avatarIds };
}

export const SERVER_VIEWER = "server";
export const LISTING_VIEWER = "server listing";
export const AUDIT_VIEWER = "server audit";

export type DiscrepancyKind =
  /** In the room although the script did not put them there (left, or never came). */
  | "ghost"
  /** An avatar whose player should not be in the room. */
  | "ghost-avatar"
  | "missing"
  | "missing-avatar"
  /** One player id under two keys, or a seat whose id is not its key. */
  | "duplicate"
  | "disconnected"
  /** The viewer has no state of a room it is in (or its connection there closed). */
  | "no-state"
  /** A member of the room has no copy of it: its client does not hold the room. */
  | "no-view"
  /** The viewer holds a room it should not be in. */
  | "stray-view"
  | "unknown-room"
  /** The admin listing's player count differs from the truth. */
  | "count"
  /** The admin API lists the room under another id, or not at all. */
  | "not-listed"
  /** After everyone left: seats or connections left in a room. */
  | "left-behind";

export interface Discrepancy {
  kind: DiscrepancyKind;
  code: string;
  viewer: string;
  /** The player concerned; "" when it is about the room. */
  playerId: string;
  detail?: string;
}

/**
 * Compares every view with the truth. `requiredViewers` names who must have a view of each room:
 * its members for the clients' check, SERVER_VIEWER for the server's.
 */
export function compareViews(
  truth: readonly ExpectedRoom[],
  views: readonly RoomView[],
  requiredViewers: (room: ExpectedRoom) => readonly string[],
): Discrepancy[] {
  const found: Discrepancy[] = [];
  const byCode = new Map(truth.map((room) => [room.code, room]));
  const viewed = new Set(views.map((v) => `${v.code}\u0000${v.viewer}`));

  for (const room of truth) {
    for (const viewer of requiredViewers(room)) {
      if (!viewed.has(`${room.code}\u0000${viewer}`)) found.push({ kind: "no-view", code: room.code, viewer, playerId: "" });
    }
  }

  for (const view of views) {
    const room = byCode.get(view.code);
    const at = { code: view.code, viewer: view.viewer };
    if (room === undefined) {
      found.push({ kind: "unknown-room", ...at, playerId: "" });
      continue;
    }
    const expected = new Set(room.playerIds);
    if (view.viewer !== SERVER_VIEWER && !expected.has(view.viewer)) found.push({ kind: "stray-view", ...at, playerId: view.viewer });
    if (view.closeCode !== null) {
      found.push({ kind: "no-state", ...at, playerId: "", detail: `connection closed with ${view.closeCode}` });
      continue;
    }
    if (view.players === null) {
      found.push({ kind: "no-state", ...at, playerId: "" });
      continue;
    }
    const seen = new Set<string>();
    for (const player of view.players) {
      const id = player.key;
      if (seen.has(id)) {
        found.push({ kind: "duplicate", ...at, playerId: id, detail: "appears twice" });
        continue;
      }
      seen.add(id);
      if (!expected.has(id)) {
        found.push({ kind: "ghost", ...at, playerId: id, detail: player.connected ? "shown connected" : "shown disconnected" });
      } else if (!player.connected) found.push({ kind: "disconnected", ...at, playerId: id });
    }
    for (const id of room.playerIds) if (!seen.has(id)) found.push({ kind: "missing", ...at, playerId: id });
    if (view.avatarIds !== undefined) {
      const avatars = new Set(view.avatarIds);
      for (const id of avatars) if (!expected.has(id)) found.push({ kind: "ghost-avatar", ...at, playerId: id });
      for (const id of room.playerIds) if (!avatars.has(id)) found.push({ kind: "missing-avatar", ...at, playerId: id });
    }
  }
  return found;
}

/** What GET /admin/rooms says of a room, as compareListings reads it. */
export interface ListedRoom {
  roomId: string;
  code: string;
  players: number;
  spectators: number;
  clients: number;
}

/** Each room of the truth must be listed under its id and code with exactly its number of players. */
export function compareListings(truth: readonly ExpectedRoom[], listings: readonly ListedRoom[]): Discrepancy[] {
  const found: Discrepancy[] = [];
  for (const room of truth) {
    const at = { code: room.code, viewer: LISTING_VIEWER, playerId: "" };
    const listed = listings.find((l) => l.roomId === room.roomId);
    if (listed === undefined) {
      found.push({ kind: "not-listed", ...at, detail: `room ${room.roomId} is not in GET /admin/rooms` });
      continue;
    }
    if (listed.code !== room.code)
      found.push({ kind: "not-listed", ...at, detail: `room ${room.roomId} is listed with code ${listed.code}` });
    if (listed.players !== room.playerIds.length || listed.spectators !== 0) {
      found.push({
        kind: "count",
        ...at,
        detail: `listed ${listed.players} players and ${listed.spectators} spectators, expected ${room.playerIds.length} players`,
      });
    }
  }
  return found;
}

/**
 * After everyone left: a room may be gone (disposed) or listed empty; one still listing seats or
 * connections kept something behind.
 */
export function leftBehind(rooms: ReadonlyArray<{ code: string; roomId: string }>, listings: readonly ListedRoom[]): Discrepancy[] {
  const found: Discrepancy[] = [];
  for (const room of rooms) {
    const listed = listings.find((l) => l.roomId === room.roomId);
    if (listed === undefined) continue;
    if (listed.players > 0 || listed.spectators > 0 || listed.clients > 0) {
      found.push({
        kind: "left-behind",
        code: room.code,
        viewer: LISTING_VIEWER,
        playerId: "",
        detail: `${listed.players} players, ${listed.spectators} spectators and ${listed.clients} connections after everyone left`,
      });
    }
  }
  return found;
}

/**
 * A room's audit trail must close every seat it opened: each `joined` followed by a `left` or
 * `kicked` before the next `joined` of that player, none open at the end. This finds a seat that
 * stayed behind even when the room was disposed since (disposal writes no `left`).
 */
export function unbalancedSeats(
  room: { code: string; roomId: string },
  events: ReadonlyArray<{ kind: string; playerId: string }>,
): Discrepancy[] {
  const found: Discrepancy[] = [];
  const at = { code: room.code, viewer: AUDIT_VIEWER };
  const seated = new Set<string>();
  for (const e of events) {
    if (e.kind === "joined") {
      if (seated.has(e.playerId))
        found.push({ kind: "duplicate", ...at, playerId: e.playerId, detail: "joined again without leaving (audit events)" });
      seated.add(e.playerId);
    } else if (e.kind === "left" || e.kind === "kicked") {
      seated.delete(e.playerId);
    }
  }
  for (const id of seated) found.push({ kind: "left-behind", ...at, playerId: id, detail: "joined with no left after it (audit events)" });
  return found;
}

/** Discrepancies of one kind about one player in one room, with everyone who saw it. */
export interface GroupedDiscrepancy {
  kind: DiscrepancyKind;
  code: string;
  playerId: string;
  detail?: string;
  viewers: string[];
}

/** Groups by kind, room, player and detail, in first-seen order; viewers in first-seen order. */
export function groupDiscrepancies(found: readonly Discrepancy[]): GroupedDiscrepancy[] {
  const groups = new Map<string, GroupedDiscrepancy>();
  for (const d of found) {
    const key = [d.kind, d.code, d.playerId, d.detail ?? ""].join("\u0000");
    let group = groups.get(key);
    if (group === undefined) {
      group = { kind: d.kind, code: d.code, playerId: d.playerId, ...(d.detail !== undefined ? { detail: d.detail } : {}), viewers: [] };
      groups.set(key, group);
    }
    if (!group.viewers.includes(d.viewer)) group.viewers.push(d.viewer);
  }
  return [...groups.values()];
}

export function isGhost(kind: DiscrepancyKind): boolean {
  return kind === "ghost" || kind === "ghost-avatar";
}
