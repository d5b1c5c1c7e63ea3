/**
 * A seat's connections, from Colyseus's hooks to the parts: a client that holds its seat (joined,
 * reclaimed or reconnected) is counted, metered, given its view, announced to the room type and
 * the door; a dropped one keeps its seat for the grace period; one that left frees it.
 */
import { CloseCode, type Client, type Deferred } from "@colyseus/core";
import type { LobbyState, PlayerState } from "@tavern/shared/state";
import type { Logger } from "../logger";
import type { Metrics } from "../observability/metrics";
import type { Door } from "./door";
import type { IdleClose } from "./idleClose";
import type { LifecycleRequests } from "./lifecycleRequests";
import type { Listing } from "./listing";
import type { PatchMeter } from "./patchMeter";
import type { RequestRouter } from "./requestRouter";
import type { RoomPresence } from "./roomPresence";
import type { Seating } from "./seating";
import type { SeatViews } from "./seatViews";
import { joinAcknowledged, reconnectionHold, RejoinHold, type HoldEnd } from "./seatHolds";

export interface ConnectionsHost {
  readonly state: LobbyState;
  readonly roomType: string;
  readonly metrics: Metrics;
  readonly patches: PatchMeter;
  readonly views: SeatViews;
  readonly parts: {
    seating: Seating;
    door: Door;
    listing: Listing;
    idle: IdleClose;
    router: RequestRouter;
    requests: LifecycleRequests;
    presence: RoomPresence;
  };
  log(): Logger;
  audiencesOf(playerId: string): readonly string[];
  clientSeated(client: Client, playerId: string, seat: PlayerState): void;
  /** While a seat waits for a rejoin with no connection, the room must not dispose itself when empty. */
  keepOpen(open: boolean): void;
}

export class Connections {
  private readonly rejoinHolds = new Set<RejoinHold>();

  constructor(private readonly room: ConnectionsHost) {}

  /** A client holds its seat now (joined or reconnected). */
  connected(client: Client, playerId: string): void {
    const { state, metrics, roomType, parts } = this.room;
    parts.idle.touch();
    if (parts.seating.book.count(client, true)) metrics.connectedClients.inc({ room_type: roomType });
    this.room.patches.meter(client);
    this.room.views.show(client, this.room.audiencesOf(playerId));
    parts.presence.seated(playerId);
    const seat = state.players.get(playerId);
    if (seat) this.room.clientSeated(client, playerId, seat);
    if (playerId === state.hostId) parts.door.hostSeated();
    parts.listing.schedule();
  }

  /** The connection was lost: the seat is held for the grace period (`allowReconnection` is Colyseus's). */
  dropped(client: Client, code: number | undefined, allowReconnection: (client: Client, seconds: number) => Deferred<Client>): void {
    const { state, metrics, roomType, parts } = this.room;
    const playerId = parts.seating.book.ownerOf(client);
    this.disconnected(client);
    const seat = playerId ? state.players.get(playerId) : undefined;
    if (!playerId || !seat) return;
    seat.connected = false;
    parts.presence.dropped(playerId);
    const grace = state.config.reconnectGraceSeconds;
    // A client closed for flooding or garbage (WITH_ERROR) does not get its seat held.
    if (grace <= 0 || code === CloseCode.WITH_ERROR) return;
    if (!joinAcknowledged(client)) {
      this.holdForRejoin(client, playerId, grace);
    } else {
      this.room.log().info({ playerId, code, grace }, "player dropped; holding seat");
      const reconnection = allowReconnection(client, grace);
      parts.seating.book.hold(playerId, reconnectionHold(reconnection));
      const outcome = (value: string) => () => metrics.reconnections.inc({ room_type: roomType, outcome: value });
      reconnection.then(outcome("reconnected"), outcome("expired"));
    }
    parts.listing.schedule();
  }

  /**
   * The connection dropped before the client acknowledged its join (or its reconnection): Colyseus
   * cannot hold it, and the client's reconnection token does not work. The seat waits for the grace
   * all the same, for a join by code with the same identity (seating.seat takes it back).
   */
  private holdForRejoin(client: Client, playerId: string, grace: number): void {
    const { metrics, roomType, parts } = this.room;
    this.room.log().info({ playerId, grace }, "player dropped before acknowledging the join; holding seat for a rejoin");
    const count = (outcome: string) => metrics.reconnections.inc({ room_type: roomType, outcome });
    const settle = () => {
      this.rejoinHolds.delete(hold);
      if (this.rejoinHolds.size === 0) this.room.keepOpen(false);
    };
    const hold: RejoinHold = new RejoinHold(grace * 1000, {
      expired: () => {
        settle();
        if (parts.seating.book.holdOf(playerId) !== hold) return;
        count("expired");
        parts.seating.book.release(playerId);
        parts.seating.remove(playerId, "did not come back in time");
      },
      ended: (why: HoldEnd) => {
        settle();
        if (why === "reclaimed") count("rejoined");
      },
    });
    this.rejoinHolds.add(hold);
    this.room.keepOpen(true);
    parts.seating.book.hold(playerId, hold);
  }

  /** The room is disposing: no timer of a held seat outlives it. */
  disposed(): void {
    for (const hold of this.rejoinHolds) hold.cancel();
    this.rejoinHolds.clear();
  }

  reconnected(client: Client): void {
    const { book } = this.room.parts.seating;
    const playerId = book.playerOfSessionId(client.sessionId);
    if (!playerId) return;
    book.returned(playerId, client);
    const seat = this.room.state.players.get(playerId);
    if (seat) seat.connected = true;
    this.room.log().info({ playerId }, "player reconnected");
    this.connected(client, playerId);
  }

  /** The client is gone for good (it left, or its grace ran out): so is its seat, unless another connection holds it. */
  left(client: Client, code: number | undefined): void {
    const { parts } = this.room;
    parts.router.forget(client.sessionId);
    parts.requests.forget(client.sessionId);
    this.room.views.hide(client);
    this.disconnected(client);
    const owner = parts.seating.book.ownerOf(client);
    if (owner && code !== CloseCode.CONSENTED && parts.seating.book.holdOf(owner)?.outlivesConnection) {
      parts.seating.book.forgetSession(client.sessionId); // the seat waits for a rejoin, not for this connection
      return;
    }
    const playerId = parts.seating.book.left(client);
    if (playerId) parts.seating.remove(playerId, code === CloseCode.CONSENTED ? "left the room" : "did not come back in time");
  }

  private disconnected(client: Client): void {
    if (this.room.parts.seating.book.count(client, false)) this.room.metrics.connectedClients.dec({ room_type: this.room.roomType });
  }
}
