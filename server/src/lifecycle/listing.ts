/**
 * What the matchmaker (and so the lobby, GET /api/rooms and the admin list) knows of a room: its
 * metadata, written at most once per LISTING_DEBOUNCE_MS however many joins a storm brings, and
 * whether it is listed at all (a private room is not).
 */
import { updateLobby, type Room } from "@colyseus/core";
import type { RoomListingMetadata } from "@tavern/shared/protocol";
import type { Logger } from "../logger";

const LISTING_DEBOUNCE_MS = 100;

export class Listing {
  private scheduled = false;

  constructor(
    private readonly room: Room<{ metadata: RoomListingMetadata }>,
    private readonly metadata: () => RoomListingMetadata,
    private readonly log: () => Logger,
  ) {}

  /** Coalesces metadata updates: a join storm makes one matchmaker write per interval, not one per join. */
  schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.room.clock.setTimeout(() => {
      this.scheduled = false;
      this.room.setMetadata(this.metadata()).catch((err: unknown) => this.log().warn({ err }, "listing update failed"));
    }, LISTING_DEBOUNCE_MS);
  }

  /** Private rooms stay joinable by code but leave the lobby's public listing. */
  setListed(listed: boolean): void {
    if (!listed) updateLobby(this.room, true);
    this.room
      .setMatchmaking({ unlisted: !listed })
      .then(() => {
        if (listed) updateLobby(this.room);
      })
      .catch((err: unknown) => this.log().warn({ err }, "visibility update failed"));
  }
}
