/** How a room is described over HTTP: from its matchmaker listing, or from a stored table session. */
import type { matchMaker } from "@colyseus/core";
import type { RoomListingMetadata, RoomSummary } from "@tavern/shared/protocol";

export type Listing = Awaited<ReturnType<typeof matchMaker.query>>[number];

export function storedSummary(code: string): RoomSummary {
  const empty = { roomId: "", type: "table", code, phase: "lobby" as const, players: 0, spectators: 0, maxPlayers: 0 };
  return { ...empty, private: true, hostName: "", createdAt: new Date().toISOString(), open: false };
}

export function toSummary(listing: Listing): RoomSummary {
  const meta = (listing.metadata ?? {}) as Partial<RoomListingMetadata>;
  return {
    roomId: listing.roomId,
    type: listing.name,
    code: meta.code ?? "",
    phase: meta.phase ?? "lobby",
    players: meta.players ?? 0,
    spectators: meta.spectators ?? 0,
    maxPlayers: meta.maxPlayers ?? 0,
    private: Boolean(listing.unlisted),
    hostName: meta.hostName ?? "",
    createdAt: new Date(listing.createdAt ?? Date.now()).toISOString(),
    open: true,
  };
}
