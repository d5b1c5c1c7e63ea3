/**
 * The parts of a lifecycle room and how they are wired to one another: built once the room's
 * state and code exist, from what the room gives (its Colyseus surface, its services, its hooks).
 * LifecycleRoom keeps Colyseus's hooks in the order a seat lives through them; this keeps the wiring.
 */
import type { Client, Room } from "@colyseus/core";
import type { AnnouncementMessage, Phase, RoomListingMetadata } from "@tavern/shared/protocol";
import { roomConfigOf, type ChatLineState, type LobbyState, type PlayerState } from "@tavern/shared/state";
import type { Logger } from "../logger";
import type { AuditKind } from "../persistence/auditLog";
import type { RoomServices } from "../services";
import { Door } from "./door";
import { HostActions } from "./hostActions";
import { IdleClose } from "./idleClose";
import { LifecycleRequests } from "./lifecycleRequests";
import { Listing } from "./listing";
import type { PatchMeter } from "./patchMeter";
import { RequestRouter } from "./requestRouter";
import { RoomChat } from "./roomChat";
import { Seating } from "./seating";
import type { SeatViews } from "./seatViews";
import { Connections } from "./connections";
import { RoomPresence } from "./roomPresence";
import { RoomEvents } from "./roomEvents";
import { countSeats } from "../domain/lobby/rules";

/** The room type's hooks, called by the parts at their moments. */
export interface RoomHooks {
  moderationChanged(): void;
  phaseChanged(from: Phase, to: Phase): void;
  seatAdded(playerId: string, seat: PlayerState): void;
  seatRemoved(playerId: string): void;
  hostChanged(nextId: string, previousId: string | undefined): void;
  chatLine(line: ChatLineState): void;
  clientSeated(client: Client, playerId: string, seat: PlayerState): void;
}

export interface PartsHost {
  readonly room: Room<{ metadata: RoomListingMetadata }>;
  readonly state: LobbyState;
  readonly roomType: string;
  readonly svc: RoomServices;
  readonly patches: PatchMeter;
  readonly views: SeatViews;
  readonly hooks: RoomHooks;
  readonly migrateHostOnLeave: boolean;
  log(): Logger;
  audit(kind: AuditKind, playerId: string, details?: Record<string, unknown>): void;
  reportException(err: unknown, where: string): void;
  setCapacity(maxClients: number): void;
  audiencesOf(playerId: string): readonly string[];
}

export interface LifecycleParts {
  door: Door;
  seating: Seating;
  listing: Listing;
  idle: IdleClose;
  chat: RoomChat;
  router: RequestRouter;
  requests: LifecycleRequests;
  actions: HostActions;
  connections: Connections;
  /** Locations, statuses and the current external game (./roomPresence.ts). */
  presence: RoomPresence;
  /** What goes to the games' webhooks (./roomEvents.ts). */
  events: RoomEvents;
  /** A system line for everyone, as a message and in the chat. */
  announce(message: AnnouncementMessage): void;
  /**
   * Runs what waited for the next patch (a crowd's host changes, told once); LifecycleRoom calls
   * it first in onBeforePatch, so what it adds goes out in that patch and its state hash covers it.
   */
  beforePatch(): void;
}

export function assembleParts(host: PartsHost): LifecycleParts {
  const { room, state, roomType, svc, hooks } = host;
  const { metrics } = svc;
  const readConfig = () => roomConfigOf(state.config);
  const chat = new RoomChat(state, (line) => hooks.chatLine(line));
  const untilPatch: Array<() => void> = [];
  const announce = (message: AnnouncementMessage) => {
    room.broadcast("announcement", message);
    chat.append("", "", message.text);
  };
  const events = new RoomEvents({ state, roomType }, svc.webhookOutbox);
  const presence = new RoomPresence({
    state,
    nextBroadcast: (ms) => host.patches.nextBroadcast(ms),
    locationChanged: (playerId, location, previous) => events.locationChanged(playerId, location, previous),
    written: (write, { version, updateId }, apiKeyId) => {
      const game = "gameId" in write ? { gameId: write.gameId } : {};
      const result = write.kind === "gameEnded" ? { result: write.result ?? {} } : {};
      host.audit("game-write", "", { apiKeyId, write: write.kind, version, updateId, ...game, ...result });
    },
    touch: () => idle.touch(),
  });
  const listing = new Listing(room, () => listingMetadata(state), host.log);
  const idle = new IdleClose(room, () => state.config.idleTimeoutSeconds, host.log);
  // Called once the room runs, after seating exists.
  const hostConnection = (): Client | undefined => seating.book.connectionOf(state.hostId);
  const door: Door = new Door(
    { state, readConfig, hostConnection, moderationChanged: () => hooks.moderationChanged() },
    svc.config.knockTimeoutSeconds,
  );
  const seating: Seating = new Seating({
    ...{ state, roomType, metrics, readConfig, announce, log: host.log, audit: host.audit },
    // Not a clock tick: that put the announcement's chat line between a patch and its state hash
    // (the fuzz test caught it). Just before the patch, the line goes out with it, hashed.
    later: (fn) => untilPatch.push(fn),
    isKicked: (identity) => door.kicks.refuses(identity),
    migrateHostOnLeave: () => host.migrateHostOnLeave,
    hostSeatChanged: () => door.hostChanged(),
    seatAdded: (playerId, seat) => {
      events.seatAdded(playerId, seat);
      hooks.seatAdded(playerId, seat);
    },
    seatRemoved: (playerId) => {
      presence.removed(playerId);
      events.seatRemoved(playerId);
      hooks.seatRemoved(playerId);
    },
    hostChanged: (nextId, previousId) => {
      events.hostChanged(nextId, previousId);
      hooks.hostChanged(nextId, previousId);
    },
    listingChanged: () => listing.schedule(),
  });
  const router = new RequestRouter(room, {
    roomType,
    metrics,
    requestsPerSecond: svc.config.requestRatePerSecond,
    seatOf: (client: Client) => {
      const playerId = seating.book.ownerOf(client);
      const seat = playerId ? state.players.get(playerId) : undefined;
      return playerId && seat ? { playerId, seat } : undefined;
    },
    touch: () => idle.touch(),
    reportException: host.reportException,
  });
  const actions = new HostActions({
    ...{ state, roomType, metrics, door, seating, listing, chat, patches: host.patches, announce, audit: host.audit },
    setCapacity: host.setCapacity,
    phaseChanged: (from, to) => hooks.phaseChanged(from, to),
    moderationChanged: () => hooks.moderationChanged(),
    launchRequested: (playerId, gameId) => events.launchRequested(playerId, gameId),
  });
  const requests = new LifecycleRequests(actions);
  requests.register(router);
  door.register(router);
  const parts = { door, seating, listing, idle, chat, router, requests, actions, presence, events };
  const connections = new Connections({
    ...{ state, roomType, metrics, patches: host.patches, views: host.views, parts, log: host.log },
    audiencesOf: (playerId) => host.audiencesOf(playerId),
    clientSeated: (client, playerId, seat) => hooks.clientSeated(client, playerId, seat),
    keepOpen: (open) => {
      host.room.autoDispose = !open;
    },
  });
  const beforePatch = () => {
    for (const run of untilPatch.splice(0)) run();
  };
  return { ...parts, connections, announce, beforePatch };
}

/** What the matchmaker lists of a room (the lobby, GET /api/rooms, the admin list). */
export function listingMetadata(state: LobbyState): RoomListingMetadata {
  const { players, spectators } = countSeats(state.players.values());
  const { code, phase, config, hostId } = state;
  return { code, phase, players, spectators, maxPlayers: config.maxPlayers, hostName: state.players.get(hostId)?.name ?? "" };
}
