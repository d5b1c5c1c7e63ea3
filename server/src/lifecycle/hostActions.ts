/**
 * What the lifecycle requests do to the room once the lobby rules allowed them
 * (./lifecycleRequests.ts): a new config that every part follows (capacity, door, listing,
 * storage), a phase change (metrics, announcement, audit, listing), a kick (the seat freed, the
 * kick remembered, the player sent away), a host handover, a chat line, a launch request (a
 * webhook event) and a state hash.
 */
import type { Client } from "@colyseus/core";
import type { AnnouncementMessage, Phase, RoomConfig } from "@tavern/shared/protocol";
import { connectionCap } from "@tavern/shared/roomDefaults";
import { roomConfigOf, type LobbyState } from "@tavern/shared/state";
import type { StateHashReply } from "@tavern/shared/stateHash";
import type { Metrics } from "../observability/metrics";
import type { AuditKind } from "../persistence/auditLog";
import type { Door } from "./door";
import type { JoinAuth } from "./joinGate";
import type { LifecycleHost } from "./lifecycleRequests";
import type { Listing } from "./listing";
import type { PatchMeter } from "./patchMeter";
import type { RoomChat } from "./roomChat";
import { sendAway, type Seating } from "./seating";

export interface ActedRoom {
  readonly state: LobbyState;
  readonly roomType: string;
  readonly metrics: Metrics;
  readonly door: Door;
  readonly seating: Seating;
  readonly listing: Listing;
  readonly chat: RoomChat;
  readonly patches: PatchMeter;
  setCapacity(maxClients: number): void;
  announce(message: AnnouncementMessage): void;
  audit(kind: AuditKind, playerId: string, details?: Record<string, unknown>): void;
  phaseChanged(from: Phase, to: Phase): void;
  moderationChanged(): void;
  /** Emits the launch request's webhook event (./roomEvents.ts); answers its id. */
  launchRequested(playerId: string, gameId: string | undefined): string;
}

export class HostActions implements LifecycleHost {
  constructor(private readonly room: ActedRoom) {}

  get state(): LobbyState {
    return this.room.state;
  }

  get roomType(): string {
    return this.room.roomType;
  }

  readConfig(): RoomConfig {
    return roomConfigOf(this.room.state.config);
  }

  applyConfig(before: RoomConfig, next: RoomConfig): void {
    const { room } = this;
    Object.assign(room.state.config, next);
    room.door.configChanged(before, next);
    room.setCapacity(connectionCap(next));
    if (next.private !== before.private) room.listing.setListed(!next.private);
    room.listing.schedule();
    room.moderationChanged();
  }

  changePhase(to: Phase): void {
    const { room } = this;
    const from = room.state.phase;
    room.state.phase = to;
    room.metrics.rooms.dec({ room_type: room.roomType, phase: from });
    room.metrics.rooms.inc({ room_type: room.roomType, phase: to });
    room.announce({ kind: "phase-changed", text: `The room is now in the ${to} phase.` });
    room.audit(to === "playing" ? "started" : to === "finished" ? "finished" : "reset", room.state.hostId, { from });
    room.phaseChanged(from, to);
    room.listing.schedule();
  }

  kick(targetId: string): void {
    const { room } = this;
    const name = room.state.players.get(targetId)?.name ?? targetId;
    const released = room.seating.kick(targetId);
    // The device comes from the token of the seat's connection (the last one, if dropped).
    room.door.kicks.add({ playerId: targetId, deviceId: (released.connection?.auth as JoinAuth | undefined)?.deviceId });
    room.moderationChanged();
    room.announce({ kind: "player-kicked", text: `${name} was removed by the host.`, playerId: targetId });
    sendAway(released);
  }

  transferHost(targetId: string, previousId: string): void {
    this.room.seating.setHost(targetId, previousId, "the host handed it over");
  }

  appendChat(playerId: string, name: string, text: string): void {
    this.room.chat.append(playerId, name, text);
  }

  requestLaunch(playerId: string, gameId: string | undefined): string {
    const eventId = this.room.launchRequested(playerId, gameId);
    this.room.audit("launch-requested", playerId, { eventId, ...(gameId === undefined ? {} : { gameId }) });
    return eventId;
  }

  integrityMismatchReported(): void {
    this.room.metrics.integrityMismatches.inc({ room_type: this.room.roomType });
  }

  nextHash(client: Client): Promise<StateHashReply> {
    return this.room.patches.nextHash(client);
  }
}
