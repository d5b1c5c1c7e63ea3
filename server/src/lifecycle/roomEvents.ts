/**
 * The one place a room's happenings become webhook events: seats added and removed, host
 * changes, location changes (lifecycle and game writes alike, from ./roomPresence.ts) and the
 * host's launch requests. It only hands each event to the sink, which queues it in memory and
 * writes it to the outbox later (platform/webhookOutbox.ts): a room never waits for a database or
 * a receiver here, so a slow or hanging endpoint cannot slow a room down.
 */
import type { SeatLocation } from "@tavern/shared/platform";
import type { LobbyState, PlayerState } from "@tavern/shared/state";
import type { WebhookEventData, WebhookEventType } from "@tavern/shared/webhooks";
import type { RoomEvent } from "../domain/webhooks/events";

export interface RoomEventSink {
  /** Queues the event; answers its id at once. */
  emit(event: RoomEvent): string;
}

export interface EventSource {
  readonly state: LobbyState;
  readonly roomType: string;
}

export class RoomEvents {
  constructor(
    private readonly room: EventSource,
    private readonly sink: RoomEventSink,
    private readonly now: () => Date = () => new Date(),
  ) {}

  seatAdded(playerId: string, seat: PlayerState): void {
    this.emit("player.joined", { playerId, name: seat.name, role: seat.role });
  }

  seatRemoved(playerId: string): void {
    this.emit("player.left", { playerId });
  }

  /** The first host of a room is no change (player.joined carries the role). */
  hostChanged(nextId: string, previousId: string | undefined): void {
    if (previousId === undefined) return;
    this.emit("host.changed", { hostId: nextId, previousHostId: previousId });
  }

  locationChanged(playerId: string, location: SeatLocation, previous: SeatLocation): void {
    this.emit("player.location_changed", { playerId, location, previousLocation: previous });
  }

  /** Answers the event's id (the host's reply carries it, so a game can match the delivery). */
  launchRequested(requestedBy: string, gameId: string | undefined): string {
    return this.emit("game.launch_requested", gameId === undefined ? { requestedBy } : { requestedBy, gameId });
  }

  private emit<T extends WebhookEventType>(type: T, data: WebhookEventData[T]): string {
    // The code is read now: a room may have replaced its code since it was created.
    const event: RoomEvent<T> = { type, data, room: { code: this.room.state.code, type: this.room.roomType }, occurredAt: this.now() };
    return this.sink.emit(event as RoomEvent);
  }
}
