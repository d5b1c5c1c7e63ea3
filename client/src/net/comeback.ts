/**
 * Coming back to a room after losing it (server restart, resync): what that needs (its code and
 * type, and the options to re-create it under that code if the restart lost it), and the retry
 * loop that does it.
 */
import type { ErrorBody } from "@tavern/shared/errors";
import type { RoomType } from "@tavern/shared/protocol";
import { describeError } from "./describeError";
import type { CreateOptions, JoinedRoom } from "./joined";

/** What recovery needs to come back to a room, captured while we were still in it. */
export interface Comeback {
  code: string;
  type: RoomType;
  spectator: boolean;
  /** Options to re-create the room under its code when a server restart lost it. */
  restore: CreateOptions;
  /**
   * Space and cabo rooms are re-created by whoever comes back first. Table rooms never are: the server
   * keeps their sessions and reopens one when someone joins by its code, while a client's create
   * would start an empty session (and make its creator the GM).
   */
  mayRecreate: boolean;
}

const RECOVERY_WINDOW_MS = 60_000;
/** Refusals after which trying again cannot help. */
const FINAL_REFUSALS = new Set(["KICKED", "ROOM_FULL", "UNAUTHORIZED", "KNOCK_DENIED", "KNOCK_UNANSWERED"]);

/** The options of a create request (table rooms add title and plugin to the config, cabo rooms the game's settings). */
export function createPayload(options: CreateOptions): Record<string, unknown> {
  const payload: Record<string, unknown> = { config: options.config };
  if (options.title !== undefined) payload["title"] = options.title;
  if (options.plugin !== undefined) payload["plugin"] = options.plugin;
  if (options.cabo !== undefined) payload["cabo"] = options.cabo;
  if (options.seed !== undefined) payload["seed"] = options.seed;
  return payload;
}

/** The comeback for the room as decoded now; the link takes a fresh one at every patch. */
export function comebackOf(joined: JoinedRoom, spectator: boolean, lastCreate: CreateOptions): Comeback {
  if (joined.type === "space") {
    return { code: joined.room.state.code, type: "space", spectator, restore: { config: lastCreate.config }, mayRecreate: true };
  }
  if (joined.type === "cabo") {
    // A card game is not stored: after a restart its room comes back empty, with the same settings.
    const { config, cabo } = lastCreate;
    return { code: joined.room.state.code, type: "cabo", spectator, restore: cabo ? { config, cabo } : { config }, mayRecreate: true };
  }
  return { code: joined.room.state.code, type: "table", spectator, restore: { config: lastCreate.config }, mayRecreate: false };
}

export interface ComebackSteps {
  /** Joins by code again with the same token (the seat is ours). */
  rejoin(): Promise<unknown>;
  /** Re-creates the room under its code. */
  recreate(): Promise<unknown>;
  notice(text: string): void;
}

/**
 * Joins again, or re-creates the room when the restart lost it (if it may), retrying with backoff
 * for a minute. True once back in the room.
 */
export async function comeBack(comeback: Comeback, steps: ComebackSteps): Promise<boolean> {
  const deadline = Date.now() + RECOVERY_WINDOW_MS;
  let delay = 250;
  while (Date.now() < deadline) {
    try {
      await steps.rejoin();
      return true;
    } catch (err) {
      const e = err as ErrorBody;
      console.warn(`[tavern] rejoining ${comeback.code}: ${e.code} ${e.message}`);
      if (FINAL_REFUSALS.has(e.code)) {
        steps.notice(describeError(e));
        return false;
      }
      if (e.code === "NOT_FOUND" && comeback.mayRecreate) {
        try {
          await steps.recreate();
          return true;
        } catch (createErr) {
          // someone else re-created it first, or the server is still starting: join again
          const c = createErr as ErrorBody;
          console.warn(`[tavern] re-creating ${comeback.code}: ${c.code} ${c.message}`);
        }
      }
    }
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 3000);
  }
  return false;
}
