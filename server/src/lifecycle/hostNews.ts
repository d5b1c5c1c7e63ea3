/**
 * Host changes as the room is told of them. Several within one clock tick become one
 * announcement, from the host before the first to the host after the last: when a crowd leaves
 * in the order it came (a storm's clients, a mass drop whose grace ends at once), each departure
 * handed the role on, and a broadcast per change cost the square of the room's size in messages.
 * The room's `later` runs the announcement just before its next patch (roomParts.ts), so its
 * chat line goes out in the patch whose state hash covers it.
 */
import type { AnnouncementMessage } from "@tavern/shared/protocol";
import type { LobbyState } from "@tavern/shared/state";

export interface HostNewsRoom {
  readonly state: LobbyState;
  announce(message: AnnouncementMessage): void;
  /** Runs `tell` just before the room's next patch (the announcement then goes with the patch of the change). */
  later(tell: () => void): void;
}

export class HostNews {
  private pending: { previousId: string; why: string } | undefined;

  constructor(private readonly room: HostNewsRoom) {}

  /** The host changed from `previousId` (the state says to whom), because of `why`. */
  changed(previousId: string, why: string): void {
    if (this.pending) {
      this.pending.why = why;
      return;
    }
    this.pending = { previousId, why };
    this.room.later(() => this.tell());
  }

  private tell(): void {
    const news = this.pending;
    this.pending = undefined;
    const { state } = this.room;
    if (!news || state.hostId === news.previousId) return; // back to where it was: no news
    const next = state.hostId ? state.players.get(state.hostId) : undefined;
    const text = next ? `${next.name} is now the host (${news.why}).` : `The room has no host (${news.why}).`;
    this.room.announce({ kind: "host-changed", text, playerId: state.hostId, previousHostId: news.previousId });
  }
}
