/**
 * What the connection needs to come back to a room after losing it (server restart, resync):
 * its code and type, and the options to re-create it under that code if the restart lost it.
 */
import type { RoomType } from "@tavern/shared/protocol";
import type { CreateOptions, JoinedRoom } from "./connection";

/** What recovery needs to come back to a room, captured while we were still in it. */
export interface Comeback {
  code: string;
  type: RoomType;
  spectator: boolean;
  /** Options to re-create the room under its code when a server restart lost it. */
  restore: CreateOptions;
  /**
   * Space rooms are re-created by whoever comes back first. Table rooms never are: the server
   * keeps their sessions and reopens one when someone joins by its code, while a client's create
   * would start an empty session (and make its creator the GM).
   */
  mayRecreate: boolean;
}

/** The options of a create request (table rooms add title and plugin to the config). */
export function createPayload(options: CreateOptions): Record<string, unknown> {
  const payload: Record<string, unknown> = { config: options.config };
  if (options.title !== undefined) payload["title"] = options.title;
  if (options.plugin !== undefined) payload["plugin"] = options.plugin;
  return payload;
}

/** The comeback for the room as decoded now; the connection takes a fresh one at every patch. */
export function comebackOf(joined: JoinedRoom, spectator: boolean, lastCreate: CreateOptions): Comeback {
  if (joined.type === "space") {
    return { code: joined.room.state.code, type: "space", spectator, restore: { config: lastCreate.config }, mayRecreate: true };
  }
  return { code: joined.room.state.code, type: "table", spectator, restore: { config: lastCreate.config }, mayRecreate: false };
}
