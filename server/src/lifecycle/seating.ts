/**
 * Who sits where, and who hosts: a newcomer takes a seat (or the seat they had: reload, second
 * tab, return after a drop), a seat is removed when its player leaves for good or is kicked, and
 * the host role goes to the creator, to the first player of a room without one, and on to the
 * longest-present player when the host leaves (unless the room keeps it for the host's return).
 * Connections are kept in the seat book (domain/lobby/seatBook.ts); the rules are ./rules.ts.
 */
import type { Client } from "@colyseus/core";
import { CLOSE_CODES, type AnnouncementMessage, type ClosingMessage, type RoomConfig } from "@tavern/shared/protocol";
import { PlayerState, type LobbyState } from "@tavern/shared/state";
import { SeatBook } from "../domain/lobby/seatBook";
import type { Logger } from "../logger";
import type { Metrics } from "../observability/metrics";
import type { AuditKind } from "../persistence/auditLog";
import type { JoinRequest } from "./door";
import type { JoinAuth } from "./joinGate";
import { admitNewcomer, pickNextHost } from "../domain/lobby/rules";
import { chooseCharacter } from "@tavern/shared/characters";
import type { SeatHold } from "./seatHolds";
import { HostNews } from "./hostNews";

export interface SeatingHost {
  readonly state: LobbyState;
  readonly roomType: string;
  readonly metrics: Metrics;
  log(): Logger;
  readConfig(): RoomConfig;
  audit(kind: AuditKind, playerId: string, details?: Record<string, unknown>): void;
  announce(message: AnnouncementMessage): void;
  /** Runs `fn` on the room's next clock tick. */
  later(fn: () => void): void;
  isKicked(identity: JoinAuth): boolean;
  /** Whether the host role passes on when the host's seat is removed (not a table's GM). */
  migrateHostOnLeave(): boolean;
  /** The seat of whoever hosts changed, or was emptied: the door follows. */
  hostSeatChanged(): void;
  seatAdded(playerId: string, seat: PlayerState): void;
  seatRemoved(playerId: string): void;
  hostChanged(nextId: string, previousId: string | undefined): void;
  listingChanged(): void;
}

export class Seating {
  readonly book = new SeatBook<Client, SeatHold>();
  /** The creator is host before taking a seat; the audit log records it once they do. */
  private awaitingCreator = false;
  private readonly hostNews: HostNews;

  constructor(private readonly room: SeatingHost) {
    this.hostNews = new HostNews(room);
  }

  /** The room's creator hosts from the start, whoever connects first. */
  createdBy(playerId: string): void {
    this.room.state.hostId = playerId;
    this.awaitingCreator = true;
  }

  seat(client: Client, identity: JoinAuth, request: JoinRequest): void {
    const { state, metrics, roomType } = this.room;
    const { playerId, name } = identity;
    const existing = state.players.get(playerId);
    if (existing) {
      // Same player again (reload, second tab, or return after a drop): take back the seat.
      const { reservation, previous } = this.book.take(playerId, client);
      reservation?.end("reclaimed");
      if (previous) {
        const message = "You joined this room from another tab or device; this one was disconnected.";
        previous.send("closing", { reason: "replaced", message } satisfies ClosingMessage);
        previous.leave(CLOSE_CODES.REPLACED);
      }
      existing.connected = true;
      existing.name = name;
      metrics.joins.inc({ room_type: roomType, outcome: "reclaimed" });
      this.room.log().info({ playerId, replaced: Boolean(previous) }, "seat reclaimed");
      return;
    }
    const role = admitNewcomer(state.players.values(), this.room.readConfig(), {
      wantsSpectator: request.wantsSpectator,
      isKicked: this.room.isKicked(identity),
    });
    const seat = new PlayerState().assign({ name, role, connected: true, ready: false, joinedAt: Date.now() });
    seat.character = chooseCharacter(
      identity.character,
      playerId,
      [...state.players.values()].map((p) => p.character),
    );
    state.players.set(playerId, seat);
    this.book.take(playerId, client);
    this.room.audit("joined", playerId, { role });
    if (state.hostId === playerId) {
      // The creator, or a host whose role was kept for them, takes it, whatever they asked.
      seat.role = "host";
      if (this.awaitingCreator) {
        this.awaitingCreator = false;
        this.room.audit("host-changed", playerId, { previousId: "", why: "created the room" });
      }
    } else if (role === "player" && state.hostId === "") {
      this.setHost(playerId, undefined, "first player in the room");
    }
    metrics.joins.inc({ room_type: roomType, outcome: "joined" });
    this.room.seatAdded(playerId, seat);
  }

  remove(playerId: string, reason: string): void {
    const { state } = this.room;
    const seat = state.players.get(playerId);
    if (!seat) return;
    state.players.delete(playerId);
    this.room.log().info({ playerId, reason }, "seat removed");
    this.room.audit(reason === "was kicked" ? "kicked" : "left", playerId, { reason });
    if (state.hostId === playerId && this.room.migrateHostOnLeave()) {
      this.setHost(pickNextHost(state.players.entries(), playerId), playerId, `${seat.name} ${reason}`);
    }
    // A host kept for their return (a table's GM) left the seat: the door has nobody to ask.
    if (state.hostId === playerId) this.room.hostSeatChanged();
    this.room.seatRemoved(playerId);
    this.room.listingChanged();
  }

  setHost(nextId: string | undefined, previousId: string | undefined, why: string): void {
    const { state } = this.room;
    const previous = previousId ? state.players.get(previousId) : undefined;
    if (previous?.role === "host") previous.role = "player";
    const next = nextId ? state.players.get(nextId) : undefined;
    if (next) next.role = "host";
    state.hostId = next && nextId ? nextId : "";
    this.room.audit("host-changed", state.hostId, { previousId: previousId ?? "", why });
    this.room.hostSeatChanged();
    this.room.hostChanged(state.hostId, previousId);
    this.room.listingChanged();
    if (previousId === undefined) return; // the first host of a room is not news
    this.hostNews.changed(previousId, why);
    this.room.log().info({ hostId: state.hostId, previousId, why }, "host changed");
  }

  /** Frees the seat for good; answers the connection to close or the reservation to reject. */
  kick(targetId: string): { connection?: Client; reservation?: SeatHold } {
    const released = this.book.release(targetId);
    this.remove(targetId, "was kicked");
    return released;
  }
}

/** Closes a kicked player's connection, or ends the wait of their dropped one. */
export function sendAway(released: { connection?: Client; reservation?: SeatHold }): void {
  if (released.reservation) released.reservation.end("kicked");
  else if (released.connection) {
    released.connection.send("closing", { reason: "kicked", message: "The host removed you from this room." } satisfies ClosingMessage);
    released.connection.leave(CLOSE_CODES.KICKED);
  }
}
